from odoo import fields, models

from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib import rate_card_document as doc


class LogisticsProcessorRateCard(models.AbstractModel):
    """A rate card a pricing system publishes (read by the scheduled sync):
    the card of that partner, side and version, created or replaced lanes,
    accessorials and all. A card that names what Odoo does not know fails as a
    whole into an exception for finance, with every problem listed."""

    _name = "logistics.processor.rate.card"
    _inherit = "logistics.processor"
    _description = "Rate Card Processor"
    _processor_for = (("*", "rate_card"),)

    def _admit(self, item, document=None):
        card = self._json_document(item, document)
        if card is None:
            return [{"field": "", "message": "payload is not JSON"}]
        card = doc.normalised(card)
        problems = doc.problems(card)
        if problems:
            return problems
        item["idempotency_key"] = item.get("idempotency_key") or doc.identity(card)
        item["subject_ref"] = f"{card['partner_ref']}:{card['side']}"
        return []

    def _decode(self, message):
        return [doc.normalised(self._json_payload(message))]

    def _map(self, message, card):
        backend = message.backend_id
        if backend.environment != "production":
            raise PermanentError(
                f"backend {backend.code} is a {backend.environment} backend: rate cards are "
                "prices in force and come from production only",
                code="not_production",
            )
        company = message.company_id or backend.company_id
        problems = []
        partner = self._partner(card["partner_ref"], company, problems)
        values = {
            "name": card.get("name") or partner.name or card["partner_ref"],
            "partner_id": partner.id,
            "side": card["side"],
            "company_id": company.id,
            "version": card["version"],
            "date_from": fields.Date.to_date(card["valid_from"]),
            "date_to": fields.Date.to_date(card.get("valid_to") or False),
            "currency_id": self._currency(card.get("currency"), company, problems).id,
            "fuel_table_id": self._fuel_table(card.get("fuel_table"), problems).id,
            "source_backend_id": backend.id,
            "lane_ids": [(5, 0, 0)]
            + [
                (0, 0, self._lane(lane, f"lanes/{index}", problems))
                for index, lane in enumerate(card["lanes"])
            ],
            "accessorial_ids": [(5, 0, 0)]
            + [(0, 0, self._accessorial(entry)) for entry in card.get("accessorials") or []],
        }
        if values["date_to"] and values["date_to"] < values["date_from"]:
            problems.append(("valid_to", "ends before valid_from"))
        codes = [entry["code"] for entry in card.get("accessorials") or []]
        for code in sorted({code for code in codes if codes.count(code) > 1}):
            problems.append(("accessorials", f"code {code!r} is listed twice"))
        if problems:
            raise PermanentError(
                "; ".join(f"{field}: {text}" for field, text in problems),
                code="rate_card_unresolved",
                exception_type="rate_card_invalid",
            )
        return values

    def _apply_many(self, items):
        return [self._apply_one(message, values) for message, values in items]

    def _apply_one(self, message, values):
        Card = self.env["logistics.rate.card"].with_context(active_test=False)
        card = Card.search(
            [
                ("partner_id", "=", values["partner_id"]),
                ("side", "=", values["side"]),
                ("company_id", "=", values["company_id"]),
                ("version", "=", values["version"]),
            ],
            limit=1,
        )
        if card:
            card.write(values)
        else:
            card = Card.create(values)
        card.message_post(
            body=self.env._(
                "Read from %(backend)s (message %(message)s).",
                backend=message.backend_id.name,
                message=message.id,
            )
        )
        return card

    # --- resolving what the card names ------------------------------------------

    def _partner(self, ref, company, problems):
        partners = self.env["res.partner"].search(
            [("ref", "=ilike", ref), ("company_id", "in", [company.id, False])]
        )
        entities = partners.commercial_partner_id
        if len(entities) != 1:
            problems.append(
                (
                    "partner_ref",
                    f"no partner has the reference {ref!r}"
                    if not entities
                    else f"{len(entities)} partners have the reference {ref!r}",
                )
            )
        return entities[:1]

    def _currency(self, code, company, problems):
        if not code:
            return company.currency_id
        Currency = self.env["res.currency"].with_context(active_test=False)
        currency = Currency.search([("name", "=", code)], limit=1)
        if not currency:
            problems.append(("currency", f"unknown currency {code!r}"))
        return currency

    def _fuel_table(self, name, problems):
        if not name:
            return self.env["logistics.fuel.table"]
        table = self.env["logistics.fuel.table"].search([("name", "=ilike", name)], limit=1)
        if not table:
            problems.append(("fuel_table", f"no fuel surcharge table is named {name!r}"))
        return table

    def _lane(self, lane, where, problems):
        values = {
            "mode": lane.get("mode") or False,
            "basis": lane.get("basis") or "weight",
            "break_from": doc.amount(lane.get("break_from")),
            "rate": doc.amount(lane.get("rate")),
            "flat": doc.amount(lane.get("flat")),
            "minimum": doc.amount(lane.get("minimum")),
        }
        for end, prefix in (("origin", "origin"), ("destination", "destination")):
            zone = lane.get(end) or {}
            country, state = self._zone(zone, f"{where}/{end}", problems)
            values[f"{prefix}_country_id"] = country.id
            values[f"{prefix}_state_id"] = state.id
            values[f"{prefix}_zip_prefix"] = zone.get("zip_prefix") or False
        return values

    def _zone(self, zone, where, problems):
        country = self.env["res.country"]
        state = self.env["res.country.state"]
        if zone.get("country"):
            country = country.search([("code", "=", zone["country"])], limit=1)
            if not country:
                problems.append((f"{where}/country", f"unknown country {zone['country']!r}"))
        if zone.get("state"):
            if not country:
                problems.append((f"{where}/state", "a state needs its country"))
            else:
                state = state.search(
                    [("country_id", "=", country.id), ("code", "=", zone["state"])], limit=1
                )
                if not state:
                    problems.append(
                        (f"{where}/state", f"{country.code} has no state {zone['state']!r}")
                    )
        return country, state

    def _accessorial(self, entry):
        return {
            "code": entry["code"],
            "name": entry.get("name") or entry["code"].title(),
            "charge_type": entry.get("charge_type") or "accessorial",
            "amount": doc.amount(entry["amount"]),
        }
