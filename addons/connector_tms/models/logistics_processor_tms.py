from odoo import models

from odoo.addons.logistics_canonical.lib import event_schema
from odoo.addons.logistics_canonical.lib.timeutil import parse_event_time
from odoo.addons.logistics_integration.lib.errors import PermanentError, UnmappedCodeError

from ..lib.template import TemplateError

TENDER_ANSWERS = {"TENDER_ACCEPTED": True, "TENDER_REJECTED": False}


class UnmappedTmsCode(UnmappedCodeError):
    """Codes the TMS's code tables do not map; the failed message adds them to
    the tables (after the rollback of the attempt) for an admin to map."""

    def __init__(self, unmapped):
        codes = ", ".join(f"{code} ({table})" for table, code in unmapped)
        super().__init__(
            f"code(s) {codes} have no canonical milestone: map them, then replay", field="code"
        )
        self.unmapped = unmapped


class LogisticsProcessorTms(models.AbstractModel):
    """One TMS event (from a webhook or a feed page), read through the TMS's
    mapping template: milestones through the canonical processor, tender
    answers onto the tender, dispatch details and charges onto the shipment,
    the POD fetched and attached."""

    _name = "logistics.processor.tms"
    _inherit = "logistics.processor"
    _description = "TMS Event Processor"
    _processor_for = (("tms", "tms_event"),)

    # --- at the door --------------------------------------------------------------

    def _admit(self, item, document=None):
        """The TMS's own schema (when the template gives one), an event id (the
        idempotency key: a webhook and the feed bringing one event store it
        once) and the order or load it is about (the lane)."""
        version = self.env["logistics.tms.template.version"].browse(item["tms_version_id"])
        template = version.template_id._compiled(version)
        document = self._json_document(item, document)
        if document is None:
            return [{"field": "", "message": "the event is not JSON"}]
        problems = template.payload_problems(document)
        if problems:
            return problems
        event_id, subject = template.identity(document)
        fields_spec = template.spec["inbound"]["fields"]
        if not event_id:
            return [{"field": fields_spec["event_id"], "message": "no event id"}]
        if not subject:
            return [{"field": fields_spec.get("order_ref", ""), "message": "no order or load"}]
        item["idempotency_key"] = item.get("idempotency_key") or f"tms:{event_id}"[:255]
        item["subject_ref"] = subject[:128]
        return []

    # --- processing ---------------------------------------------------------------

    def _decode(self, message):
        """The event as the template reads it: today's version, or the one a
        replay chose."""
        raw = self._json_payload(message)
        backend = message.backend_id
        version = (
            message.tms_version_id
            if message.tms_version_pinned
            else backend.tms_template_id.version_id
        )
        try:
            template = backend._tms_template(version)
        except TemplateError as error:
            raise PermanentError(str(error), code="template_error") from error
        if message.tms_version_id != version:
            message.tms_version_id = version
        mapped = template.map(raw, self._resolver(backend))
        if mapped.unmapped:
            raise UnmappedTmsCode(mapped.unmapped)
        if mapped.problems:
            first = mapped.problems[0]
            raise PermanentError(
                f"the template's reading breaks the TMS event schema: {first['message']}",
                code="validation_failed",
                field=first["field"],
            )
        return [mapped.event]

    def _resolver(self, backend):
        Mapping = self.env["logistics.code.mapping"]

        def resolve(code_list, code):
            return Mapping._resolve(code_list, code, backend).milestone_code_id.code or None

        return resolve

    def _note_unmapped(self, backend, unmapped):
        """A code the table does not know is added to it, unmapped, for an admin to map."""
        Scheme = self.env["logistics.code.scheme"].sudo()
        for code_list, code in unmapped:
            scheme = Scheme.search([("code", "=", code_list)], limit=1)
            if scheme and not self.env["logistics.code.mapping"]._resolve(code_list, code, backend):
                self.env["logistics.code.mapping"].sudo().create(
                    {"scheme_id": scheme.id, "code": code[:32], "source": backend.name}
                )

    def _map(self, message, event):
        canonical = self._canonical(event) if event.get("code") else None
        if canonical:
            problems = event_schema.errors(canonical)
            if problems:
                raise PermanentError(
                    problems[0]["message"], code="validation_failed", field=problems[0]["field"]
                )
        return {"event": event, "canonical": canonical}

    def _canonical(self, event):
        """The milestone of a TMS event, as a canonical event (schema v1)."""
        canonical = {
            "event_id": event["event_id"],
            "shipment_ref": event.get("order_ref") or event["load_id"],
            "code": event["code"],
            "event_time": event["event_time"],
        }
        for key in ("source_code", "source_text", "eta"):
            if event.get(key):
                canonical[key] = event[key]
        if event.get("stop_sequence"):
            canonical["stop"] = {"sequence": event["stop_sequence"]}
        location = {k: event[k] for k in ("city", "country") if event.get(k)}
        if location:
            canonical["location"] = location
        reason = {
            key: event[f"reason_{key}"] for key in ("code", "text") if event.get(f"reason_{key}")
        }
        if reason:
            canonical["reason"] = reason
        if event.get("load_id"):
            canonical["identifiers"] = [{"type": "load_id", "value": event["load_id"]}]
        return canonical

    def _apply_many(self, items):
        Events = self.env["logistics.processor.event"]
        milestones = Events._apply_many(
            [
                (message, Events._map(message, mapped["canonical"]))
                for message, mapped in items
                if mapped["canonical"]
            ]
        )
        shipments = iter(milestone.shipment_id for milestone in milestones)
        results = []
        for message, mapped in items:
            event = mapped["event"]
            shipment = next(shipments) if mapped["canonical"] else self._shipment_of(message, event)
            self._apply_details(message, shipment, event)
            results.append(shipment)
        return results

    def _shipment_of(self, message, event):
        """The shipment of an event that records no milestone (charges, a POD)."""
        ref = event.get("order_ref") or event["load_id"]
        identifiers = (
            [{"type": "load_id", "value": event["load_id"]}] if event.get("load_id") else []
        )
        found = self.env["logistics.shipment.identity"]._resolve(
            message.backend_id,
            [{"shipment_ref": ref, "event_time": event["event_time"], "identifiers": identifiers}],
        )
        return found[ref]

    def _apply_details(self, message, shipment, event):
        backend = message.backend_id
        if event.get("code") in TENDER_ANSWERS:
            self._apply_tender_answer(message, shipment, event)
        dispatch = {
            name: value
            for name, value in (
                ("driver_name", event.get("driver")),
                ("driver_phone", event.get("driver_phone")),
                ("vehicle", event.get("vehicle")),
                ("planned_pickup", _utc(event.get("planned_pickup"))),
                ("planned_delivery", _utc(event.get("planned_delivery"))),
            )
            if value
        }
        if dispatch:
            shipment.write(dispatch)
        if event.get("charges"):
            shipment._tms_charges(backend, event["charges"])
        if event.get("pod_url"):
            shipment._tms_want_pod(backend, event)

    def _apply_tender_answer(self, message, shipment, event):
        accepted = TENDER_ANSWERS[event["code"]]
        tender = shipment.tender_ids.filtered(lambda t: t.backend_id == message.backend_id)[:1]
        if not tender or (event.get("revision") and event["revision"] != tender.revision):
            return  # an answer to an older revision: its milestone is history enough
        if event.get("load_id") and not tender.load_id:
            tender._tendered(event["load_id"])
        code, text = event.get("reason_code"), event.get("reason_text")
        reason = f"{text} ({code})" if code and text else code or text or ""
        # when the answer reached us: a TMS writing minutes only would seem to answer early
        tender._answered(accepted, message.received_at, reason)
        if not accepted:
            message._open_issue(
                "tender_rejected",
                self.env._(
                    "%(tms)s rejected tender %(ref)s (revision %(rev)s): %(reason)s",
                    tms=message.backend_id.name,
                    ref=tender.name,
                    rev=tender.revision,
                    reason=reason or self.env._("no reason given"),
                ),
            )


def _utc(value):
    """A naive UTC datetime (as Odoo stores them) of an ISO 8601 text, or None."""
    return parse_event_time(value)[0] if value else None
