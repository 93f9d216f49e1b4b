from functools import partial

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

# the page's forms, posted by the user's browser (CSRF-checked by Odoo)
form_post = partial(http.route, type="http", auth="user", website=True, methods=["POST"])


class ShipmentNotificationsPortal(CustomerPortal):
    """``/my/shipments/notifications``: a portal user chooses the milestones
    they are e-mailed about, and manages their company's webhooks."""

    @http.route("/my/shipments/notifications", type="http", auth="user", website=True)
    def portal_shipment_notifications(self, **kw):
        return self._render_notifications()

    @form_post("/my/shipments/notifications/email")
    def portal_shipment_notifications_email(self, **kw):
        user = self._portal_customer_user()
        codes = request.httprequest.form.getlist("milestones")
        request.env["logistics.notification.rule"]._portal_set_milestones(user, codes)
        return request.redirect("/my/shipments/notifications?saved=email")

    @form_post("/my/shipments/notifications/webhooks")
    def portal_shipment_webhook_add(self, url="", **kw):
        user = self._portal_customer_user()
        codes = request.httprequest.form.getlist("milestones")
        webhook, secret, problems = request.env["logistics.backend"]._portal_subscribe(
            user, url.strip(), codes
        )
        if problems:
            return self._render_notifications(
                webhook_problems=problems, webhook_url=url, webhook_codes=codes, status=422
            )
        # the secret is shown this once: the page is rendered, not redirected to
        return self._render_notifications(new_webhook=webhook, new_secret=secret)

    @form_post("/my/shipments/notifications/webhooks/<int:webhook_id>/stop")
    def portal_shipment_webhook_stop(self, webhook_id, **kw):
        user = self._portal_customer_user()
        webhook = (
            request.env["logistics.backend"]
            ._portal_webhooks(user)
            .filtered(lambda hook: hook.id == webhook_id)
        )
        if not webhook:
            raise request.not_found()
        webhook.active = False
        return request.redirect("/my/shipments/notifications?saved=stopped")

    def _portal_customer_user(self):
        """The user, when they are a customer's portal user; else a 404."""
        if not request.env.user._is_portal():
            raise request.not_found()
        return request.env.user

    def _render_notifications(self, status=200, **extra):
        user = self._portal_customer_user()
        rule = request.env["logistics.notification.rule"]._portal_rule(user)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "shipment_notifications",
                "recipient": user.partner_id,
                "milestone_codes": request.env["logistics.milestone.code"]._portal_codes(),
                "email_codes": rule.milestone_code_ids.mapped("code") if rule.active else [],
                "webhooks": request.env["logistics.backend"]._portal_webhooks(user),
                "saved": request.params.get("saved"),
                "webhook_problems": [],
                "webhook_url": "",
                "webhook_codes": [],
                **extra,
            }
        )
        return request.render(
            "logistics_portal.portal_shipment_notifications", values, status=status
        )
