import paramiko

from odoo import models

from odoo.addons.logistics_integration.lib import http_delivery
from odoo.addons.logistics_integration.lib.errors import PermanentError, TransientError

from ..lib import edifact, x12
from ..lib.channels import FolderChannel, SftpChannel
from ..lib.headers import standard


class LogisticsOutboundAdapterEdi(models.AbstractModel):
    """Interchanges to a trading partner: POSTed to its URL, or dropped in its
    SFTP or local folder."""

    _name = "logistics.outbound.adapter.edi"
    _inherit = "logistics.outbound.adapter"
    _description = "EDI Outbound Adapter"
    _adapter_key = "edi"

    def _render(self, backend, message_type, payload):
        """Interchanges rendered once, with their control numbers, so a retry
        resends exactly the same interchange; the group control is kept so
        the partner's 997 can be matched, and that 997 awaited."""
        profile = backend._edi_partner()
        if not profile or not profile._renders(message_type):
            return super()._render(backend, message_type, payload)
        text, payload_format = profile._render(message_type, payload)
        rendered = {"payload": text, "payload_format": payload_format}
        control = _group_control(text)
        rendered["edi_control"] = control or None
        # acknowledgments are not acknowledged; a TA1 has no group to acknowledge
        if control and message_type not in ("ack", "ta1", "contrl") and profile.expect_997:
            rendered.update(edi_ack_state="expected", edi_ack_due=profile._ack_due())
        return rendered

    def _send(self, backend, message):
        profile = backend._edi_partner().sudo()
        if not profile:
            raise PermanentError(
                f"backend {backend.code} has no EDI profile", code="no_edi_profile"
            )
        if profile.channel == "http":
            return self._post(backend, message)
        name = f"{message.message_type}-{message.edi_control or message.id}-{message.id}.edi"
        try:
            with profile._open_channel() as channel:
                channel.write_file(profile.outbound_path, name, _encoded(message))
        except (OSError, paramiko.SSHException) as error:
            raise TransientError(
                f"{profile.channel} drop failed: {error}", code="channel_down"
            ) from error
        return 0

    def _post(self, backend, message):
        headers = {
            "Content-Type": message.content_type or "application/edi-x12",
            "X-Correlation-ID": message.correlation_id or f"out-{message.id}",
        }
        token = backend.sudo()._secret("api_token")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return http_delivery.post(backend.sudo().base_url, _encoded(message), headers)


def _group_control(payload):
    """GS06 of an X12 interchange, or the UNB reference of an EDIFACT one."""
    if standard(payload) == "x12":
        for _separators, elements, _notes in x12.segments(payload):
            if elements[0] == "GS":
                return elements[6] if len(elements) > 6 else ""
        return ""
    for _delimiters, elements, _notes in edifact.segments(payload):
        if elements[0] == "UNB":
            return edifact.value(elements[5]) if len(elements) > 5 else ""
    return ""


def _encoded(message):
    """EDIFACT declares UNOC (ISO 8859-1) in its UNB; X12 data is ASCII."""
    if message.payload_format == "edifact":
        return message.payload.encode("latin-1", errors="replace")
    return message.payload.encode()


class LogisticsEdiPartnerChannel(models.Model):
    _inherit = "logistics.edi.partner"

    def _open_channel(self):
        """The partner's SFTP server or local folder, as a context manager."""
        self.ensure_one()
        if self.channel == "sftp":
            return SftpChannel(
                self.sftp_host,
                self.sftp_port or 22,
                self.sftp_user,
                self._secret("sftp_password"),
                self.sftp_host_key,
            )
        return FolderChannel(self.folder_root)
