from collections import Counter

from odoo import api, fields, models

from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib import edifact, headers, x12

OUTCOMES = [
    ("ok", "Read"),
    ("deviations", "Read with deviations"),
    ("unmapped", "Codes to map"),
    ("rejected", "Sets rejected"),
    ("unreadable", "Unreadable"),
]


class LogisticsEdiCertification(models.Model):
    """A trading partner's sample files read as their live files would be, and
    what came of each: nothing is applied to shipments. Onboarding a partner
    is uploading their samples and reading this report."""

    _name = "logistics.edi.certification"
    _description = "EDI Partner Certification"
    _order = "id desc"

    partner_id = fields.Many2one(
        "logistics.edi.partner", string="Trading Partner", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Sample Files")
    file_ids = fields.One2many(
        "logistics.edi.certification.file", "certification_id", string="Sample File"
    )
    read_on = fields.Datetime(readonly=True)
    verdict = fields.Selection(
        [("ready", "Ready to go live"), ("work", "Needs work")],
        compute="_compute_summary",
        store=True,
    )
    file_count = fields.Integer(compute="_compute_summary", store=True, string="Files")
    unreadable_count = fields.Integer(compute="_compute_summary", store=True, string="Unreadable")
    rejected_count = fields.Integer(compute="_compute_summary", store=True, string="Rejected Sets")
    deviation_count = fields.Integer(compute="_compute_summary", store=True, string="Deviations")
    unmapped_count = fields.Integer(compute="_compute_summary", store=True, string="Unmapped Codes")

    @api.depends(
        "file_ids.outcome",
        "file_ids.rejected_sets",
        "file_ids.deviation_count",
        "file_ids.unmapped_count",
    )
    def _compute_summary(self):
        for certification in self:
            files = certification.file_ids
            certification.file_count = len(files)
            certification.unreadable_count = len(
                files.filtered(lambda f: f.outcome == "unreadable")
            )
            certification.rejected_count = sum(files.mapped("rejected_sets"))
            certification.deviation_count = sum(files.mapped("deviation_count"))
            certification.unmapped_count = sum(files.mapped("unmapped_count"))
            blocking = (
                certification.unreadable_count
                + certification.rejected_count
                + certification.unmapped_count
            )
            certification.verdict = False if not files else "work" if blocking else "ready"

    @api.depends("partner_id", "read_on")
    def _compute_display_name(self):
        for certification in self:
            certification.display_name = self.env._(
                "%(partner)s samples", partner=certification.partner_id.name or ""
            )

    def action_read_files(self):
        """Read every sample file again: the report reflects the partner
        profile and code mappings as they are now."""
        for certification in self:
            certification.file_ids.unlink()
            certification.file_ids = [
                fields.Command.create(certification._read_file(attachment))
                for attachment in certification.attachment_ids.sorted("name")
            ]
            certification.read_on = fields.Datetime.now()
        return True

    def _read_file(self, attachment):
        """One file's row of the report: what the processor would make of it."""
        partner = self.partner_id
        values = {"name": attachment.name, "attachment_id": attachment.id}
        text = headers.decode(attachment.raw or b"")
        try:
            standard, sender, control = headers.identify(text)
            reading = self.env["logistics.processor.edi"]._read(
                text, standard, partner, (sender, control)
            )
        except (ValueError, x12.X12Error, edifact.EdifactError, PermanentError) as error:
            return {**values, "outcome": "unreadable", "problems": str(error)}
        deviations = reading.deviations
        values.update(
            standard=standard,
            interchange_count=reading.interchanges,
            set_count=reading.sets,
            **self._extracted(reading.documents),
        )
        values["deviations"] = "\n".join(str(d) for d in deviations) or False
        values["deviation_count"] = len(deviations)
        values["outcome"] = (
            "rejected"
            if values["problems"]
            else "unmapped"
            if values["unmapped_count"]
            else "deviations"
            if deviations
            else "ok"
        )
        return values

    def _extracted(self, documents):
        """What the documents read from a file hold, in words for the report."""
        partner = self.partner_id
        shipments, statuses, charges, acks, problems = [], Counter(), [], [], []
        stops = rejected_sets = invoices = 0
        unmapped = set()
        writer = x12.Writer(partner._separators(), newline=True)
        edifact_writer = edifact.Writer(newline=True)
        # events are mapped as the processor maps them, for a message of this partner
        processor = self.env["logistics.processor.edi"]
        as_received = self.env["logistics.integration.message"].new(
            {"backend_id": partner.backend_id.id}
        )
        lists = {
            scheme.code: scheme.name
            for scheme in self.env["logistics.code.scheme"].sudo().search([])
        }
        for document in documents:
            kind, data = document["kind"], document.get("data") or {}
            if kind == "event":
                event = document["event"]
                shipments.append(event["shipment_ref"])
                mapped = processor._map(as_received, document)
                milestone = mapped.get("milestone_code") and mapped["milestone_code"].name
                if mapped["kind"] == "unmapped":
                    if mapped["error"].code != "unmapped_code":
                        problems.append(f"event {event['event_id']}: {mapped['error']}")
                        continue
                    unmapped.add((event["code_list"], event["source_code"]))
                statuses[
                    f"{event['source_code']} → {milestone or self.env._('unmapped')} "
                    f"({lists.get(event['code_list'], event['code_list'])})"
                ] += 1
            elif kind == "tender":
                shipments.append(data["shipment_id"])
                stops += len(data["stops"])
            elif kind == "tender_response":
                shipments.append(data["shipment_id"])
                statuses["990 " + ("accepted" if data["accepted"] else "declined")] += 1
            elif kind == "freight_invoice":
                shipments.append(data["shipment_id"])
                invoices += 1
                charges.append(
                    self.env._(
                        "invoice %(number)s: %(lines)s charges, %(total)s %(currency)s",
                        number=data["invoice_number"],
                        lines=len(data["charges"]),
                        total=data["total"],
                        currency=data.get("currency", ""),
                    )
                )
            elif kind == "ack":
                acks.append("".join(writer.segment(*segment) for segment in document["body"]))
            elif kind == "ta1":
                acks.append(writer.segment("TA1", *document["ta1"]))
            elif kind == "contrl":
                acks.append("".join(edifact_writer.segment(*seg) for seg in document["body"]))
            elif kind == "rejected":
                problems.append(f"{document['what']}: " + "; ".join(document["problems"]))
                rejected_sets += not document["envelope"]
        return {
            "shipments": ", ".join(dict.fromkeys(shipments)) or False,
            "shipment_count": len(set(shipments)),
            "stop_count": stops,
            "statuses": "\n".join(f"{line} ×{count}" for line, count in statuses.items()) or False,
            "status_count": sum(statuses.values()),
            "unmapped_count": len(unmapped),
            "invoice_count": invoices,
            "charges": "\n".join(charges) or False,
            "acknowledgment": "\n".join(ack.rstrip("\n") for ack in acks) or False,
            "problems": "\n".join(problems) or False,
            "rejected_sets": rejected_sets,
        }


class LogisticsEdiCertificationFile(models.Model):
    _name = "logistics.edi.certification.file"
    _description = "EDI Certification: One Sample File"
    _order = "certification_id, name, id"

    certification_id = fields.Many2one(
        "logistics.edi.certification", required=True, ondelete="cascade", index=True
    )
    attachment_id = fields.Many2one("ir.attachment", string="File", ondelete="set null")
    name = fields.Char(string="File Name", required=True)
    standard = fields.Selection([("x12", "X12"), ("edifact", "EDIFACT")])
    outcome = fields.Selection(OUTCOMES, required=True)
    interchange_count = fields.Integer(string="Interchanges")
    set_count = fields.Integer(string="Sets / Messages")
    rejected_sets = fields.Integer(string="Rejected")
    shipment_count = fields.Integer(string="Shipments")
    shipments = fields.Text(string="Shipment References")
    stop_count = fields.Integer(string="Stops")
    status_count = fields.Integer(string="Statuses")
    statuses = fields.Text(
        string="Status Codes", help="Each code read and the milestone it maps to."
    )
    unmapped_count = fields.Integer(string="Unmapped Codes")
    invoice_count = fields.Integer(string="Invoices")
    charges = fields.Text()
    deviation_count = fields.Integer(string="Deviations")
    deviations = fields.Text(
        string="Deviation Details", help="What the file does not do by the standard, read anyway."
    )
    problems = fields.Text(help="What was rejected, and why: the partner must fix these.")
    acknowledgment = fields.Text(
        string="Acknowledgment We Would Send",
        help="The 997 and TA1 (X12) or CONTRL (EDIFACT) body segments, without envelopes; "
        "nothing is sent.",
    )
