import requests

from odoo import models

from odoo.addons.logistics_canonical.lib.errors import PermanentError, TransientError

from ..lib.channels import FolderChannel, SftpChannel

RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class LogisticsOutboundAdapterEdi(models.AbstractModel):
    """Interchanges to a trading partner: POSTed to its URL, or dropped in its
    SFTP or local folder."""

    _name = "logistics.outbound.adapter.edi"
    _inherit = "logistics.outbound.adapter"
    _description = "EDI Outbound Adapter"
    _adapter_key = "edi"

    def _send(self, backend, message):
        profile = backend._edi_partner().sudo()
        if not profile:
            raise PermanentError(f"backend {backend.code} has no EDI profile", code="no_edi_profile")
        if profile.channel == "http":
            return self._post(backend, message)
        name = f"{message.message_type}-{message.edi_control or message.id}-{message.id}.edi"
        try:
            with profile._open_channel() as channel:
                channel.write(profile.outbound_path, name, message.payload.encode())
        except OSError as error:
            raise TransientError(f"{profile.channel} drop failed: {error}", code="channel_down") from error
        return 0

    def _post(self, backend, message):
        headers = {
            "Content-Type": message.content_type or "application/edi-x12",
            "X-Correlation-ID": message.correlation_id or f"out-{message.id}",
        }
        if backend.sudo().api_token:
            headers["Authorization"] = f"Bearer {backend.sudo().api_token}"
        try:
            response = requests.post(backend.sudo().base_url, data=message.payload.encode(), headers=headers,
                                     timeout=(5, 30))
        except requests.RequestException as error:
            raise TransientError(f"{type(error).__name__}: {error}", code="unreachable") from error
        if response.status_code in RETRYABLE_STATUS:
            raise TransientError(f"HTTP {response.status_code}", code=f"http_{response.status_code}")
        if response.status_code >= 400:
            raise PermanentError(f"HTTP {response.status_code}: {response.text[:500]}", code=f"http_{response.status_code}")
        return response.status_code


class LogisticsEdiPartnerChannel(models.Model):
    _inherit = "logistics.edi.partner"

    def _open_channel(self):
        """The partner's SFTP server or local folder, as a context manager."""
        self.ensure_one()
        if self.channel == "sftp":
            return SftpChannel(self.sftp_host, self.sftp_port or 22, self.sftp_user, self.sftp_password,
                               self.sftp_host_key)
        return FolderChannel(self.folder_root)
