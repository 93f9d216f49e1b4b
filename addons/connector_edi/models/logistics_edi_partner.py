import logging
import time
from datetime import timedelta

import paramiko

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from odoo.addons.logistics_integration.lib.transactions import commit
from odoo.addons.logistics_integration.models.groups import ADMIN_GROUP

from ..lib import canonical, edifact, headers, x12
from ..lib import edifact_messages as em
from ..lib import x12_sets as tx

_logger = logging.getLogger(__name__)

WRITE_GRACE_SECONDS = 120  # an unfinished file younger than this is still being written


class LogisticsEdiPartner(models.Model):
    """A trading partner: who we are to them, how we write to them, what we
    exchange and acknowledge, and where files come and go."""

    _name = "logistics.edi.partner"
    _inherit = ["logistics.cached.config", "logistics.secret.mixin", "logistics.four.eyes.mixin"]
    _description = "EDI Trading Partner"
    _order = "name"

    name = fields.Char(required=True)
    backend_id = fields.Many2one(
        "logistics.backend",
        required=True,
        ondelete="cascade",
        domain=[("kind", "=", "edi")],
        index=True,
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    active = fields.Boolean(related="backend_id.active")
    customer_id = fields.Many2one(
        "res.partner",
        string="Partner Company",
        help="The company this partner is (customer, shipper or carrier).",
    )
    standard = fields.Selection(
        [("x12", "ANSI X12"), ("edifact", "UN/EDIFACT")], required=True, default="x12"
    )
    our_role = fields.Selection(
        [("carrier", "We are the carrier"), ("shipper", "We are the shipper")],
        required=True,
        default="carrier",
    )
    version = fields.Selection(
        [("004010", "X12 4010"), ("005010", "X12 5010"), ("D01B", "EDIFACT D.01B")],
        required=True,
        default="004010",
    )
    our_qualifier = fields.Char(string="Our ID Qualifier", default="ZZ", size=4)
    our_id = fields.Char(string="Our Interchange ID", required=True)
    partner_qualifier = fields.Char(string="Partner ID Qualifier", default="ZZ", size=4)
    partner_interchange_id = fields.Char(string="Partner Interchange ID", required=True, index=True)
    our_application_id = fields.Char(string="Our Application ID (GS02)")
    partner_application_id = fields.Char(string="Partner Application ID (GS03)")
    scac = fields.Char(string="SCAC in our messages", size=4)
    element_separator = fields.Char(default="*", size=1, required=True)
    component_separator = fields.Char(default=">", size=1, required=True)
    repetition_separator = fields.Char(default="^", size=1, required=True)
    segment_terminator = fields.Char(default="~", size=1, required=True)
    newline_after_segment = fields.Boolean(default=True)
    utc_offset = fields.Integer(
        string="Local Time Offset (min)",
        default=-300,
        help="UTC offset of times the partner sends as local time (X12 time code LT or none, EDIFACT 203).",
    )
    # what is exchanged
    receive_tenders = fields.Boolean(string="Receive tenders (204 / IFTMIN)", default=True)
    auto_accept_tenders = fields.Boolean(
        help="Answer every valid tender with an accepting 990 at once."
    )
    receive_status = fields.Boolean(string="Receive status (214 / IFTSTA)", default=True)
    send_status = fields.Boolean(
        string="Send status (214 / IFTSTA)",
        help="Milestones of the partner company's shipments are sent to it.",
    )
    receive_invoices = fields.Boolean(string="Receive freight invoices (210)", default=True)
    send_invoices = fields.Boolean(string="Send freight invoices (210)")
    # acknowledgments
    send_997 = fields.Boolean(string="Acknowledge with 997", default=True)
    send_ta1 = fields.Boolean(
        string="Send TA1",
        help="Interchange acknowledgment, also sent when the partner asks for it (ISA14 = 1).",
    )
    send_contrl = fields.Boolean(
        string="Acknowledge with CONTRL",
        help="EDIFACT: answer each interchange received with a CONTRL message.",
    )
    contrl_level = fields.Selection(
        [("interchange", "Interchange (UCI)"), ("message", "Each message (UCI and UCM)")],
        string="CONTRL Detail",
        default="message",
        help="Interchange: syntax-level acknowledgment only. Each message: a UCM line per "
        "message received, accepted or rejected with its syntax error code.",
    )
    expect_997 = fields.Boolean(
        string="Expect an acknowledgment for what we send",
        default=True,
        help="A 997 (X12) or CONTRL (EDIFACT) is awaited for each interchange we send; "
        "one that does not come in time is marked overdue.",
    )
    ack_timeout_hours = fields.Float(string="Acknowledgment due within (h)", default=24)
    # channel
    channel = fields.Selection(
        [("http", "HTTP"), ("sftp", "SFTP"), ("folder", "Local folder")],
        required=True,
        default="http",
        help="How interchanges reach the partner. Inbound comes by the HTTP API, or is picked up "
        "from the SFTP server or folder on a schedule.",
    )
    sftp_host = fields.Char(string="SFTP Host", groups=ADMIN_GROUP)
    sftp_port = fields.Integer(string="SFTP Port", default=22, groups=ADMIN_GROUP)
    sftp_user = fields.Char(string="SFTP User", groups=ADMIN_GROUP)
    sftp_password = fields.Char(
        string="SFTP Password", compute="_compute_write_only", readonly=False, groups=ADMIN_GROUP
    )
    sftp_host_key = fields.Char(
        string="SFTP Host Key",
        groups=ADMIN_GROUP,
        help="The server's public key ('ssh-ed25519 AAAA...'); connections to another key are refused.",
    )
    folder_root = fields.Char(
        groups=ADMIN_GROUP, help="Folder channel: the directory holding the folders below."
    )
    inbound_path = fields.Char(default="inbound", help="Where the partner's files are picked up.")
    outbound_path = fields.Char(default="outbound", help="Where our files are dropped.")
    archive_path = fields.Char(
        default="archive", help="Where picked-up files are moved; empty: deleted."
    )
    last_poll = fields.Datetime(readonly=True)
    last_poll_error = fields.Text(readonly=True)
    # control numbers, increased atomically (see _next_control)
    certification_ids = fields.One2many("logistics.edi.certification", "partner_id")
    certification_count = fields.Integer(compute="_compute_certification_count")
    interchange_control = fields.Integer(readonly=True, copy=False, default=0)
    group_control = fields.Integer(readonly=True, copy=False, default=0)
    set_control = fields.Integer(readonly=True, copy=False, default=0)

    _sql_constraints = [
        ("backend_unique", "UNIQUE (backend_id)", "A backend has one EDI profile."),
    ]

    def _four_eyes_guarded(self, vals):
        """Profiles of a production trading partner."""
        return self.filtered(lambda profile: profile.backend_id.environment == "production")

    @api.constrains(
        "element_separator", "component_separator", "repetition_separator", "segment_terminator"
    )
    def _check_separators(self):
        for profile in self:
            chosen = [
                profile.element_separator,
                profile.component_separator,
                profile.segment_terminator,
            ]
            if len(set(chosen)) < 3 or any(c and c.isalnum() for c in chosen):
                raise ValidationError(
                    self.env._("Separators and terminator must be distinct punctuation.")
                )

    @api.onchange("standard")
    def _onchange_standard(self):
        """The version list holds both standards' versions: keep one of the standard chosen."""
        for profile in self:
            if (profile.standard == "edifact") != (profile.version == "D01B"):
                profile.version = "D01B" if profile.standard == "edifact" else "004010"

    @api.depends("certification_ids")
    def _compute_certification_count(self):
        for profile in self:
            profile.certification_count = len(profile.certification_ids)

    def action_certify(self):
        """The partner's certifications: the last one, or a new one to upload
        sample files to."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "connector_edi.action_edi_certification"
        )
        last = self.certification_ids[:1]
        action.update(
            view_mode="form",
            views=[(False, "form")],
            res_id=last.id,
            context={"default_partner_id": self.id},
        )
        return action

    @api.model
    @tools.ormcache()
    def _status_customer_ids(self):
        return frozenset(self.sudo().search([("send_status", "=", True)]).customer_id.ids)

    def _next_control(self, field_name):
        """The next control number of a kind: an atomic increment, so two jobs
        never use the same one."""
        self.ensure_one()
        column = SQL.identifier(field_name)
        self.env.cr.execute(
            SQL(
                "UPDATE logistics_edi_partner SET %s = mod(COALESCE(%s, 0), 999999999) + 1 WHERE id = %s "
                "RETURNING %s",
                column,
                column,
                self.id,
                column,
            )
        )
        number = self.env.cr.fetchone()[0]
        self.invalidate_recordset([field_name], flush=False)
        return number

    def _separators(self):
        return x12.Separators(
            self.element_separator,
            self.component_separator,
            self.repetition_separator,
            self.segment_terminator,
        )

    def _usage(self):
        return "P" if self.backend_id.environment == "production" else "T"

    def _x12_interchange(self, set_id, body):
        """Wrap one transaction set body in ISA/GS/ST with fresh control numbers."""
        control = self._next_control("interchange_control")
        group = self._next_control("group_control")
        st_control = f"{self._next_control('set_control'):04d}"
        text = x12.Writer(self._separators(), self.newline_after_segment).interchange(
            [
                (
                    tx.SETS[set_id].functional_id,
                    str(group),
                    self.our_application_id or self.our_id,
                    self.partner_application_id or self.partner_interchange_id,
                    self.version,
                    [(set_id, st_control, body)],
                )
            ],
            self.our_id,
            self.partner_interchange_id,
            control,
            usage=self._usage(),
            version="00501" if self.version == "005010" else "00401",
            sender_qualifier=self.our_qualifier,
            receiver_qualifier=self.partner_qualifier,
        )
        return text, str(group)

    def _edifact_interchange(self, message_type, body):
        control = self._next_control("interchange_control")
        reference = str(self._next_control("set_control"))
        text = edifact.Writer(newline=self.newline_after_segment).interchange(
            [(message_type, reference, body)],
            self.our_id,
            self.partner_interchange_id,
            str(control),
            test=self._usage() == "T",
        )
        return text, str(control)

    def _render(self, message_type, payload):
        """``(interchange text, format)`` of an outbound message; remembers the
        group control so the partner's 997 can be matched."""
        self.ensure_one()
        # acknowledgments are built as their interchange is read: the payload is the body
        prebuilt = message_type in ("ack", "contrl")
        edifact_message = em.BY_MESSAGE_TYPE.get(message_type)
        if self.standard == "edifact" and edifact_message:
            body = (
                payload["body"]
                if prebuilt
                else edifact_message.build(self._outbound_data(message_type, payload, "edifact"))
            )
            text, _control = self._edifact_interchange(edifact_message.id, body)
            return text, "edifact"
        if message_type == "ta1":  # an interchange acknowledgment carries no group
            control = self._next_control("interchange_control")
            return x12.Writer(self._separators(), self.newline_after_segment).interchange(
                [],
                self.our_id,
                self.partner_interchange_id,
                control,
                usage=self._usage(),
                version="00501" if self.version == "005010" else "00401",
                ta1=payload["ta1"],
                sender_qualifier=self.our_qualifier,
                receiver_qualifier=self.partner_qualifier,
            ), "x12"
        transaction_set = tx.BY_MESSAGE_TYPE[message_type]
        body = (
            payload["body"]
            if prebuilt
            else transaction_set.build(self._outbound_data(message_type, payload, "x12"))
        )
        text, _control = self._x12_interchange(transaction_set.id, body)
        return text, "x12"

    @api.model
    def _renders(self, message_type):
        """Is ``message_type`` one that partners receive as EDI?"""
        return (
            message_type == "ta1"
            or message_type in tx.BY_MESSAGE_TYPE
            or message_type in em.BY_MESSAGE_TYPE
        )

    def _outbound_data(self, message_type, payload, standard):
        """What the set or message is built from: a milestone is translated
        through the code mappings, other payloads are that data already."""
        if message_type != "milestone":
            return payload
        scheme = "unece_rec24" if standard == "edifact" else "x12_214_at7_status"
        mapping = (
            self.env["logistics.code.mapping"]
            .sudo()
            .search(
                [
                    ("scheme_id.code", "=", scheme),
                    ("milestone_code_id.code", "=", payload["code"]),
                    ("backend_id", "in", [self.backend_id.id, False]),
                ],
                order="backend_id, id",
                limit=1,
            )
        )
        if standard == "edifact":
            return canonical.report_from_milestone(payload, mapping.code or "24")
        return canonical.status_from_milestone(payload, self.scac, mapping.code or "X6")

    def _accepts(self, kind):
        """Does this partner send us that transaction set or message (a row of
        x12_sets.SETS or edifact_messages.MESSAGES)?"""
        return not kind.receive_flag or self[kind.receive_flag]

    def _ack_due(self):
        return (
            fields.Datetime.now() + timedelta(hours=self.ack_timeout_hours)
            if self.expect_997
            else False
        )

    # --- pickup from SFTP or folder ---------------------------------------------

    def action_poll(self):
        self._poll()

    @api.model
    def _cron_poll(self):
        self.search([("channel", "in", ("sftp", "folder"))])._poll()

    def _poll(self):
        """Pick up the partner's files: each is accepted into the inbox (a resent
        interchange is recognised as a duplicate) and committed before the file
        is archived, so a crash in between loses nothing and applies nothing twice.
        A file that fails is left in place and reported; the others still come in."""
        for profile in self.sudo():
            accepted, failures = 0, []
            try:
                with profile._open_channel() as channel:
                    for name in channel.list(profile.inbound_path):
                        if name.startswith("."):
                            continue  # a file still being written, by convention
                        try:
                            if profile._pick_up(channel, name):
                                accepted += 1
                        except Exception as error:
                            _logger.exception("EDI pickup of %s from %s failed", name, profile.name)
                            failures.append(f"{name}: {error}")
            except (OSError, EOFError, paramiko.SSHException) as error:
                _logger.warning("EDI pickup for %s failed: %s", profile.name, error)
                failures.append(str(error))
            profile.write(
                {"last_poll": fields.Datetime.now(), "last_poll_error": "\n".join(failures)}
            )
            commit(self.env)
            _logger.info("EDI pickup for %s: %s file(s)", profile.name, accepted)

    def _pick_up(self, channel, name):
        """Accept one file and archive it; False when it is left for later: its
        interchange has not ended yet and the file changed a moment ago, so it
        is most likely still being written."""
        data = channel.read_file(self.inbound_path, name)
        text = headers.decode(data)
        recent = time.time() - channel.modified(self.inbound_path, name) < WRITE_GRACE_SECONDS
        if recent and not headers.complete(text, self.segment_terminator):
            return False
        self._accept_interchange(text, name)  # committed by the door
        channel.archive(self.inbound_path, name, self.archive_path)
        return True

    def _accept_interchange(self, text, origin, correlation_id=None, content_type=None):
        """Hand an interchange to the inbox's door; return its receipt. The
        EDI processor admits it (who sent it, under which control number:
        a resent interchange is a duplicate); unreadable headers are kept as
        a rejected message and raised as an issue, never dropped."""
        self.ensure_one()
        [receipt] = self.env["logistics.inbox"]._receive(
            self.backend_id._inbox_target(),
            [{"payload": text, "message_type": "interchange", "payload_format": "text"}],
            channel="batch",
            correlation_id=correlation_id or origin,
            content_type=content_type,
            report_refused=True,
        )
        return receipt
