from odoo import api, models


class LogisticsNotificationRule(models.Model):
    """A portal user's own e-mails: one rule per user, sent to them only."""

    _inherit = "logistics.notification.rule"

    @api.model
    def _portal_rule(self, user):
        """The user's own e-mail subscription (archived when they chose nothing)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("recipient_id", "=", user.partner_id.id)], limit=1)
        )

    @api.model
    def _portal_set_milestones(self, user, codes):
        """E-mail ``user`` about their customer's shipments at these milestones."""
        milestones = (
            self.env["logistics.milestone.code"]
            ._portal_codes()
            .filtered(lambda code: code.code in codes)
        )
        rule = self._portal_rule(user)
        if not milestones:
            rule.active = False
            return rule
        values = {"active": True, "milestone_code_ids": [(6, 0, milestones.ids)]}
        if rule:
            rule.write(values)
            return rule
        return self.sudo().create(
            {
                **values,
                "name": self.env._("%(name)s (portal)", name=user.partner_id.name),
                "company_id": user.company_id.id,
                "partner_id": user.commercial_partner_id.id,
                "recipient_id": user.partner_id.id,
                "template_id": self.env.ref("logistics_portal.mail_template_shipment_update").id,
            }
        )
