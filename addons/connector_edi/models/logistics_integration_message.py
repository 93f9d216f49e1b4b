from markupsafe import Markup, escape

from odoo import api, fields, models

from ..lib import edifact, headers, x12


class LogisticsIntegrationMessage(models.Model):
    _inherit = "logistics.integration.message"

    edi_sender = fields.Char(string="EDI Sender", readonly=True, index="btree_not_null")
    edi_control = fields.Char(
        string="EDI Control Number",
        readonly=True,
        index="btree_not_null",
        help="Inbound: the interchange control number. Outbound: the group control number the "
        "partner's 997 refers to.",
    )
    edi_ack_state = fields.Selection(
        [
            ("expected", "Expected"),
            ("accepted", "Accepted"),
            ("partial", "Partially accepted"),
            ("rejected", "Rejected"),
            ("overdue", "Overdue"),
            ("sent", "Sent"),
        ],
        string="Acknowledgment",
        readonly=True,
        index="btree_not_null",
    )
    edi_ack_due = fields.Datetime(string="Acknowledgment Due", readonly=True)
    edi_ack_message_id = fields.Many2one(
        "logistics.integration.message",
        string="Acknowledgment Message",
        readonly=True,
        ondelete="set null",
    )
    edi_deviations = fields.Text(
        string="EDI Deviations",
        readonly=True,
        help="What the partner's data did not do by the standard, and how it was read anyway "
        "(padding, wrapping, a missing envelope, segments the set does not allow). The "
        "partner sees the same in our acknowledgment.",
    )
    edi_tree_html = fields.Html(string="Segments", compute="_compute_edi_tree_html", sanitize=False)

    @api.depends("payload", "payload_format")
    def _compute_edi_tree_html(self):
        for message in self:
            message.edi_tree_html = (
                _segment_tree(message.payload)
                if message.payload_format in ("x12", "edifact")
                else False
            )


def _segment_tree(payload):
    """The interchange as nested lists: envelopes, then each set's segments."""
    rows = []
    try:
        if headers.standard(payload) == "x12":
            for separators, elements, _notes in x12.segments(payload):
                rows.append((elements[0], separators.element.join(elements[1:])))
        else:
            for _delimiters, elements, _notes in edifact.segments(payload):
                rows.append(
                    (
                        edifact.value(elements[0]),
                        "+".join(":".join(e) if isinstance(e, list) else e for e in elements[1:]),
                    )
                )
    except (x12.X12Error, edifact.EdifactError) as error:
        rows.append(("!", str(error)))
    depth, items = 0, []
    for tag, rest in rows:
        if tag in ("IEA", "GE", "SE", "UNZ", "UNE", "UNT"):
            depth = max(depth - 1, 0)
        items.append(
            Markup(
                "<div style='padding-left:{}em'><b>{}</b> <span class='text-muted'>{}</span></div>"
            ).format(depth * 1.5, escape(tag), escape(rest))
        )
        if tag in ("ISA", "GS", "ST", "UNB", "UNG", "UNH"):
            depth += 1
    return Markup("<div class='font-monospace small'>{}</div>").format(Markup("").join(items))
