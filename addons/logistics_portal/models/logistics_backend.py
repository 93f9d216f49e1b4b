from odoo import api, fields, models

from odoo.addons.logistics_canonical.models.logistics_backend import MAX_SUBSCRIPTIONS


class LogisticsBackend(models.Model):
    """Webhooks a customer's portal users add for their company. The portal
    controller only reads the form: the rules live here."""

    _inherit = "logistics.backend"

    portal_user_id = fields.Many2one(
        "res.users",
        string="Subscribed in the Portal By",
        readonly=True,
        copy=False,
        help="The customer's portal user who added this webhook. The customer's portal "
        "users can see and stop it there.",
    )

    @api.model
    def _portal_webhooks(self, user):
        """The webhooks the portal users of ``user``'s customer added."""
        return self.sudo().search(
            [
                ("adapter", "=", "webhook"),
                ("partner_id", "=", user.commercial_partner_id.id),
                ("portal_user_id", "!=", False),
            ]
        )

    @api.model
    def _portal_subscribe(self, user, url, codes):
        """Add a webhook for ``user``'s customer: (webhook, secret, problems)."""
        backends = self.sudo()  # a portal user reads no code list: these checks stand in
        problems = backends._subscription_problems({"url": url, "milestones": codes})
        offered = self.env["logistics.milestone.code"]._portal_codes().mapped("code")
        if set(codes) - set(offered):
            problems.append(
                {
                    "field": "milestones",
                    "message": self.env._("Choose among: %s", ", ".join(offered)),
                }
            )
        if not problems and len(self._portal_webhooks(user)) >= MAX_SUBSCRIPTIONS:
            problems = [
                {"field": "url", "message": self.env._("Stop a webhook before you add another.")}
            ]
        if problems:
            return self.browse(), None, problems
        webhook, secret = backends._create_subscription(
            user.commercial_partner_id,
            user.company_id,
            "production",
            url,
            codes,
            portal_user_id=user.id,
        )
        return webhook, secret, []
