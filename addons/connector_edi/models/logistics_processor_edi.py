import logging
from collections import Counter
from typing import NamedTuple

from odoo import fields, models

from odoo.addons.logistics_canonical.lib import event_schema
from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib import canonical, edifact, headers, x12
from ..lib import edifact_messages as em
from ..lib import x12_sets as tx

_logger = logging.getLogger(__name__)


class Reading(NamedTuple):
    """What reading an interchange file gave."""

    documents: list  # what it asks of the processor
    deviations: list  # what reading it forgave
    interchanges: int
    sets: int  # transaction sets or messages


class LogisticsProcessorEdi(models.AbstractModel):
    """X12 and EDIFACT interchanges from trading partners.

    Decoding reads the interchange, validates envelopes and each transaction
    set, and turns every accepted set into documents: status events (which the
    canonical event processor applies), tenders, tender responses, freight
    invoices and acknowledgments. Rejected sets become exceptions, and every
    functional group is answered with a 997 listing what was accepted.
    """

    _name = "logistics.processor.edi"
    _inherit = "logistics.processor"
    _description = "EDI Interchange Processor"
    _processor_for = (("*", "interchange"),)

    def _admit(self, item, document=None):
        """An interchange is admitted when its envelope names a standard, a
        sender and a control number: that is its identity, so a resent
        interchange is a duplicate. What follows is read when processed."""
        try:
            standard, sender, control = headers.identify(item["payload"])
        except (ValueError, x12.X12Error, edifact.EdifactError) as error:
            return [{"field": "", "message": str(error), "code": "edi_unreadable"}]
        item.update(
            idempotency_key=item.get("idempotency_key") or f"{standard}:{sender}:{control}",
            payload_format=standard,
            edi_sender=sender,
            edi_control=control,
        )
        return []

    # --- decode -----------------------------------------------------------------

    def _decode(self, message):
        profile = message.backend_id._edi_partner()
        if not profile:
            raise PermanentError(
                f"backend {message.backend_id.code} has no EDI profile", code="no_edi_profile"
            )
        reading = self._read(
            message.payload,
            message.payload_format,
            profile,
            (message.edi_sender or "", message.edi_control or ""),
        )
        self._report_deviations(message, reading.deviations)
        return reading.documents

    def _read(self, payload, standard, profile, identity):
        """The Reading of an interchange file: what it asks of the processor, and
        what reading it forgave. Applies nothing: partner certification reads
        sample files through here too. ``identity`` is the file's (sender,
        control number), which stand in for missing envelopes."""
        try:
            if standard == "x12":
                return self._read_x12(payload, profile, identity)
            return self._read_edifact(payload, profile, identity)
        except (x12.X12Error, edifact.EdifactError) as error:
            raise PermanentError(
                f"unreadable interchange: {error}", code="edi_unreadable"
            ) from error
        except (ValueError, TypeError, IndexError, KeyError, AttributeError) as error:
            # data our readers did not foresee: the message fails alone, visibly,
            # instead of being retried as if the fault were passing
            _logger.exception("interchange %s of %s: EDI reader failed", identity[1], profile.name)
            raise PermanentError(
                f"interchange could not be read ({type(error).__name__}: {error})",
                code="edi_unreadable",
            ) from error

    def _read_x12(self, payload, profile, identity):
        documents, deviations, counts = [], [], Counter()
        for kind, item in x12.Reader(payload, separators=profile._separators()):
            counts[kind] += 1
            if kind == "set":
                documents += self._x12_set_documents(profile, item, identity)
            elif kind == "group" and item[1] != "FA" and profile.send_997 and not item.bare:
                # a set without its group has no group control number to acknowledge
                documents.append(
                    {"kind": "ack", "body": tx.build_997(item), "control": item.control}
                )
            elif kind == "interchange":
                usage_problem = self._usage_problem(item, profile)
                if usage_problem:
                    item.problems.append(usage_problem)
                documents += [{"kind": "ta1_in", "ta1": ta1} for ta1 in item.ta1s]
                if item.problems:
                    documents.append(
                        self._rejected(f"interchange {item.control}", item.problems, envelope=True)
                    )
                # ISA14 "1": the sender asks for a TA1. An interchange holding
                # only TA1s is itself an acknowledgment: answering it would
                # start an endless exchange.
                if (profile.send_ta1 or item[14] == "1") and item.groups and not item.bare:
                    documents.append(
                        {"kind": "ta1", "ta1": tx.build_ta1(item), "control": item.control}
                    )
            deviations += item.deviations
        return Reading(documents, deviations, counts["interchange"], counts["set"])

    def _report_deviations(self, message, deviations):
        """What reading forgave, where the admin sees it: on the message and in
        the log (the partner sees it in the acknowledgment)."""
        text = "\n".join(str(deviation) for deviation in deviations) or False
        if text != (message.edi_deviations or False):
            message.edi_deviations = text
        if text:
            _logger.info("message %s: read with deviations:\n%s", message.id, text)

    def _usage_problem(self, interchange, profile):
        """ISA15: test data never reaches a production backend, nor the reverse."""
        usage = interchange[15].strip()
        if usage in ("P", "T") and usage != profile._usage():
            return x12.Problem(
                "interchange",
                "020",
                f"ISA15 {usage!r}: a {'test' if usage == 'T' else 'production'} "
                f"interchange for a {profile.backend_id.environment} backend",
                1,
                "ISA",
                15,
            )
        return None

    def _x12_set_documents(self, profile, transaction, identity):
        usage_problem = self._usage_problem(transaction.interchange, profile)
        if usage_problem:
            transaction.problems.append(usage_problem)
        transaction.add(tx.check(transaction))
        kind = tx.SETS.get(transaction.id)
        data = None
        if not transaction.problems:
            data, problems = kind.read(transaction, profile.utc_offset)
            transaction.add(problems)
        if not transaction.problems and not profile._accepts(kind):
            transaction.problems.append(
                x12.Problem(
                    "transaction",
                    "1",
                    f"{transaction.id} is not exchanged with this partner",
                    transaction.position,
                    "ST",
                    1,
                )
            )
        if transaction.problems:
            read = data or {}
            named = read.get("shipment_id") or read.get("invoice_number")
            what = f"{transaction.id} {transaction.control}" + (f" ({named})" if named else "")
            return [self._rejected(what, transaction.problems)]
        # ST02 is unique within its group only: GS06 belongs in the origin; a
        # set without envelopes has the file's own identity instead
        interchange = transaction.interchange
        origin = ":".join(
            (*identity, transaction.control)
            if interchange.bare
            else (
                interchange[6].strip(),
                interchange.control,
                transaction.group.control,
                transaction.control,
            )
        )
        return self._documents(kind, data, origin, transaction.deviations, profile)

    def _documents(self, kind, data, origin, deviations, profile):
        """What a read set or message asks of the processor: status events to
        apply, or one document for its ``_apply_<step>``."""
        if kind.step == "event":
            own_list = profile.backend_id.code_scheme_id.code or ""
            return [
                {"kind": "event", "event": event} for event in kind.events(data, origin, own_list)
            ]
        return [
            {
                "kind": kind.step,
                "data": data,
                "origin": origin,
                "deviations": [str(p) for p in deviations],
            }
        ]

    @staticmethod
    def _rejected(what, problems, envelope=False):
        """``envelope``: the interchange itself was refused, not one of its sets."""
        return {
            "kind": "rejected",
            "what": what,
            "problems": [str(p) for p in problems],
            "envelope": envelope,
        }

    def _read_edifact(self, payload, profile, identity):
        documents, deviations, answered, counts = [], [], [], Counter()
        for kind, item in edifact.Reader(payload):
            counts[kind] += 1
            if kind == "interchange":
                deviations += item.deviations
                if item.problems:
                    documents.append(
                        self._rejected(f"interchange {item.control}", item.problems, envelope=True)
                    )
                # a CONTRL is not answered: that would start an endless exchange
                if (
                    profile.send_contrl
                    and not item.bare
                    and any(m.type != "CONTRL" for m in answered)
                ):
                    detail = answered if profile.contrl_level == "message" else None
                    documents.append(
                        {
                            "kind": "contrl",
                            "body": em.build_contrl(item, detail),
                            "control": item.control,
                        }
                    )
                answered = []
                continue
            message_type, data = em.MESSAGES.get(item.type), None
            if message_type is None:
                item.problems.append(
                    edifact.Problem("message", "2", f"message type {item.type} not supported")
                )
            else:
                data, problems = message_type.read(item, profile.utc_offset)
                item.add(problems)
                if not item.problems and not profile._accepts(message_type):
                    item.problems.append(
                        edifact.Problem(
                            "message", "2", f"{item.type} is not exchanged with this partner"
                        )
                    )
            deviations += item.deviations
            item.segments = None  # read: the CONTRL needs its identity and problems only
            answered.append(item)
            if item.problems:
                documents.append(self._rejected(f"{item.type} {item.reference}", item.problems))
                continue
            interchange = item.interchange
            # a message without envelope has the file's own identity instead
            origin = (
                ":".join((*identity, item.reference))
                if interchange.bare
                else f"{edifact.value(interchange[2])}:{interchange.control}:{item.reference}"
            )
            documents += self._documents(message_type, data, origin, item.deviations, profile)
        return Reading(documents, deviations, counts["interchange"], counts["message"])

    # --- map --------------------------------------------------------------------

    def _map(self, message, document):
        """Status events map through the code lists. One that cannot (an
        unmapped code) becomes an exception of its own: the interchange's other
        events still apply, and a replay after mapping applies the rest."""
        if document["kind"] != "event":
            return document
        try:
            problems = event_schema.errors(document["event"])
            if problems:
                raise PermanentError(
                    problems[0]["message"], code="validation_failed", field=problems[0]["field"]
                )
            return {
                **document,
                **self.env["logistics.processor.event"]._map(message, document["event"]),
            }
        except PermanentError as error:
            return {"kind": "unmapped", "event": document["event"], "error": error}

    # --- apply ------------------------------------------------------------------

    def _apply_many(self, items):
        results = [None] * len(items)
        events = [(index, item) for index, item in enumerate(items) if item[1]["kind"] == "event"]
        if events:
            applied = self.env["logistics.processor.event"]._apply_many(
                [item for _index, item in events]
            )
            for (index, _item), record in zip(events, applied, strict=True):
                results[index] = record
        for index, (message, document) in enumerate(items):
            if document["kind"] != "event":
                results[index] = getattr(self, f"_apply_{document['kind']}")(message, document)
        return results

    def _profile(self, message):
        return message.backend_id._edi_partner()

    def _shipment(self, message, ref, details=None):
        return self.env["logistics.shipment.identity"]._resolve(
            message.backend_id, [{"shipment_ref": ref, "shipment": details or {}}]
        )[ref]

    def _milestone(self, message, shipment, code, when=None, origin="", note=None):
        source_event_id = f"{origin}:{code}" if origin else False
        if source_event_id:  # a retried or replayed interchange applies once
            known = self.env["logistics.milestone"].search(
                [("shipment_id", "=", shipment.id), ("source_event_id", "=", source_event_id)],
                limit=1,
            )
            if known:
                return known
        milestone_code = self.env["logistics.milestone.code"]._by_code(code)
        return self.env["logistics.milestone"].create(
            {
                "shipment_id": shipment.id,
                "milestone_code_id": milestone_code.id,
                "event_time": when or fields.Datetime.now(),
                "backend_id": message.backend_id.id,
                "message_id": message.id,
                "source_event_id": source_event_id,
                "note": note,
            }
        )

    def _apply_tender(self, message, document):
        tender, profile = document["data"], self._profile(message)
        shipment = self._shipment(message, tender["shipment_id"], canonical.tender_shipment(tender))
        if tender.get("purpose") == "01":
            self._milestone(
                message, shipment, "CANCELLED", origin=document["origin"], note="Tender cancelled"
            )
            return shipment
        if profile.customer_id and not shipment.customer_id:
            shipment.customer_id = profile.customer_id
        shipment._apply_tender_stops(tender["stops"])
        if not shipment.milestone_ids.filtered(lambda m: m.code == "TENDERED"):
            self._milestone(message, shipment, "TENDERED", origin=document["origin"])
            if document.get("deviations"):  # business rules, layout: for the planner, once
                shipment.message_post(
                    body=self.env._(
                        "Tender %(origin)s was read with deviations: %(deviations)s",
                        origin=document["origin"],
                        deviations="; ".join(document["deviations"]),
                    )
                )
        if profile.auto_accept_tenders:
            shipment._answer_tender(True, message)
        return shipment

    def _apply_tender_response(self, message, document):
        response = document["data"]
        shipment = self.env["logistics.external.ref"]._find(
            message.backend_id, "logistics.shipment", response["shipment_id"]
        ) or self.env["logistics.shipment"]._by_name(
            response["shipment_id"], message.backend_id.company_id
        )
        if not shipment:
            raise PermanentError(
                f"990 for unknown shipment {response['shipment_id']!r}", code="unknown_shipment"
            )
        code = "TENDER_ACCEPTED" if response["accepted"] else "TENDER_REJECTED"
        return self._milestone(
            message, shipment, code, origin=document["origin"], note=response.get("reason")
        )

    def _apply_freight_invoice(self, message, document):
        invoice = document["data"]
        shipment = self._shipment(
            message, invoice["shipment_id"], {"carrier_scac": invoice.get("scac") or None}
        )
        label = f"{invoice['invoice_number']}"
        if shipment.charge_ids.filtered(
            lambda c: c.bill_ref == label and c.backend_id == message.backend_id
        ):
            return shipment  # this invoice was already received
        currency = self.env["res.currency"].search(
            [("name", "=", invoice.get("currency", "USD"))], limit=1
        )
        self.env["logistics.freight.charge"].create(
            [
                {
                    "shipment_id": shipment.id,
                    "charge_type": "fuel"
                    if charge["code"] in ("FUE", "FSC")
                    else "linehaul"
                    if charge["code"] == "400"
                    else "accessorial",
                    "description": charge.get("description") or charge["code"],
                    "amount": float(charge["amount"]),
                    "currency_id": (currency or shipment.currency_id).id,
                    "source": "carrier_bill",
                    "backend_id": message.backend_id.id,
                    "bill_ref": label,
                }
                for charge in invoice["charges"]
            ]
        )
        return shipment

    def _apply_ack_in(self, message, document):
        """The partner's 997 about one of our functional groups."""
        ack = document["data"]
        state = {"A": "accepted", "E": "accepted", "P": "partial"}.get(
            ack.get("status"), "rejected"
        )
        errors = [error for ack_set in ack["sets"] for error in ack_set["errors"]]
        return self._acknowledged(
            message, ack.get("group_control"), state, f"group {ack.get('group_control')}", errors
        )

    def _apply_contrl_in(self, message, document):
        """The partner's CONTRL about one of our EDIFACT interchanges."""
        contrl = document["data"]
        rejected = [m for m in contrl["messages"] if m["action"] == em.CONTRL_REJECTED]
        state = (
            "rejected"
            if contrl.get("action") == em.CONTRL_REJECTED
            else "partial"
            if rejected
            else "accepted"
        )
        errors = [f"UCI error {contrl['error']}"] if contrl.get("error") else []
        errors += [f"{m['type']} {m['reference']} error {m['error']}" for m in rejected]
        return self._acknowledged(
            message,
            contrl.get("interchange"),
            state,
            f"interchange {contrl.get('interchange')}",
            errors,
        )

    def _acknowledged(self, message, control, state, what, errors):
        """Our outbound message under ``control`` was acknowledged: record how;
        anything short of acceptance is an issue for the integration team."""
        sent = self.env["logistics.integration.message"].search(
            [
                ("backend_id", "=", message.backend_id.id),
                ("direction", "=", "outbound"),
                ("edi_control", "=", control),
            ],
            limit=1,
        )
        if sent:
            sent.write({"edi_ack_state": state, "edi_ack_message_id": message.id})
            if state != "accepted":
                sent._open_issue(
                    "invalid_message", f"partner rejected our {what}: " + "; ".join(errors)
                )
        return sent

    def _answer(self, message, message_type, payload, key):
        """Our acknowledgment of ``message``: ``key`` sends it once, whatever the retries."""
        return self.env["logistics.outbox"]._enqueue(
            message.backend_id, message_type, payload, key, parent=message
        )

    def _apply_contrl(self, message, document):
        key = f"contrl:{message.edi_control or message.id}:{document['control']}"
        return self._answer(message, "contrl", {"body": document["body"]}, key)

    def _apply_ack(self, message, document):
        key = f"997:{message.edi_control or message.id}:{document['control']}"
        return self._answer(message, "ack", {"body": document["body"]}, key)

    def _apply_unmapped(self, message, document):
        error, event = document["error"], document["event"]
        return message._open_issue(
            error.exception_type,
            f"event {event.get('event_id')} of {event['shipment_ref']}: {error}",
            error.field,
        )

    def _apply_ta1_in(self, message, document):
        """The partner's TA1 about one of our interchanges: a rejection is an
        exception for the integration team; an acceptance needs nothing."""
        ta1 = document["ta1"]
        status, note = (ta1[4] if len(ta1) > 4 else ""), (ta1[5] if len(ta1) > 5 else "")
        if status in ("A", ""):
            return self.env["logistics.exception"]
        return message._open_issue(
            "invalid_message",
            f"partner acknowledged our interchange {ta1[1] if len(ta1) > 1 else '?'} "
            f"with TA1 status {status} (note {note})",
        )

    def _apply_ta1(self, message, document):
        key = f"ta1:{document['control']}"
        return self._answer(message, "ta1", {"ta1": document["ta1"]}, key)

    def _apply_rejected(self, message, document):
        return message._open_issue(
            "invalid_message",
            f"{document['what']} rejected: " + "; ".join(document["problems"]),
        )
