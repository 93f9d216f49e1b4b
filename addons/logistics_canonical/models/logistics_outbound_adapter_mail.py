import json

from odoo import models

from odoo.addons.logistics_integration.lib.errors import PermanentError


class LogisticsOutboundAdapterMail(models.AbstractModel):
    """Customer e-mails: the payload names a mail template, a shipment and, when
    the rule has one, the recipient."""

    _name = "logistics.outbound.adapter.mail"
    _inherit = "logistics.outbound.adapter"
    _description = "E-mail Outbound Adapter"
    _adapter_key = "mail"

    def _send(self, backend, message):
        data = json.loads(message.payload)
        template = self.env["mail.template"].browse(data["template_id"]).exists()
        shipment = self.env["logistics.shipment"].browse(data["shipment_id"]).exists()
        if not template or not shipment:
            raise PermanentError("template or shipment no longer exists", code="gone")
        recipient = data.get("recipient_id")  # none: whom the template names
        template.send_mail(
            shipment.id,
            force_send=False,
            email_layout_xmlid="mail.mail_notification_light",
            email_values={"recipient_ids": [(6, 0, [recipient])]} if recipient else None,
        )
        return 0
