from odoo.addons.logistics_canonical.tests.common_api import ApiCase

from ..lib import x12
from ..lib import x12_sets as tx


class EdiCase(ApiCase):
    """A shipper trading partner sending X12 over the API; our answers go to ``hook_url``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Shipper Inc", "email": "edi@shipper.test"}
        )
        cls.edi_backend = cls.env["logistics.backend"].create(
            {
                "name": "Shipper EDI",
                "code": "shipper_edi",
                "kind": "edi",
                "adapter": "edi",
                "environment": "production",
                "base_url": "http://127.0.0.1:9/unused",
                "rate_limit_per_minute": 0,
            }
        )
        _record, cls.edi_key = cls.env["logistics.backend.key"]._generate(cls.edi_backend)
        cls.profile = cls.env["logistics.edi.partner"].create(
            {
                "name": "Shipper",
                "backend_id": cls.edi_backend.id,
                "customer_id": cls.customer.id,
                "our_id": "CARRIERHUB",
                "partner_interchange_id": "SHIPPERINC",
                "scac": "CHUB",
                "utc_offset": -300,
            }
        )

    def use_sftp(self, server, host_key=None):
        """The partner's files on ``server``, a loopback SFTP server."""
        self.profile.sudo().write(
            {
                "channel": "sftp",
                "sftp_host": "127.0.0.1",
                "sftp_port": server.port,
                "sftp_user": "partner",
                "sftp_password": "secret",
                "sftp_host_key": host_key or server.host_key,
            }
        )

    def post_edi(self, text, content_type="application/edi-x12", key=None):
        return self.url_open(
            "/logistics/v1/edi",
            data=text.encode() if isinstance(text, str) else text,
            headers={
                "Content-Type": content_type,
                "Authorization": f"Bearer {key or self.edi_key}",
            },
        )

    @staticmethod
    def interchange(
        sets,
        control=1,
        group_control="1",
        functional_id="QM",
        sender="SHIPPERINC",
        separators=x12.DEFAULT_SEPARATORS,
    ):
        return x12.Writer(separators, newline=True).interchange(
            [(functional_id, group_control, sender, "CARRIERHUB", "004010", sets)],
            sender,
            "CARRIERHUB",
            control,
        )

    @staticmethod
    def status_214(ref, *events):
        return tx.build_214(
            {
                "shipment_id": ref,
                "scac": "CHUB",
                "events": [
                    {
                        "status_code": code,
                        "reason_code": "NS",
                        "time": when,
                        "city": "CHICAGO",
                        "state": "IL",
                        "country": "US",
                    }
                    for code, when in events
                ],
            }
        )

    def outbound(self, message_type=None):
        domain = [("backend_id", "=", self.edi_backend.id), ("direction", "=", "outbound")]
        if message_type:
            domain.append(("message_type", "=", message_type))
        return self.env["logistics.integration.message"].search(domain, order="id")

    def sent_sets(self, server):
        """The transaction sets our server-side partner received, as (id, segments)."""
        found = []
        for body in server.delivered():
            for kind, item in x12.Reader(body.decode()):
                if kind == "set":
                    found.append((item.id, item.segments))
        return found
