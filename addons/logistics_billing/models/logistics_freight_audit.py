from odoo import api, fields, models

from ..lib import audit

CARD_SIDE = {"revenue": "sell", "cost": "buy"}


class LogisticsFreightAudit(models.AbstractModel):
    """Rating and freight audit: what a shipment should cost by the cards in
    force at its pickup, and how the charges partners report compare, line
    by line and for the whole bill, within the partner's tolerances."""

    _name = "logistics.freight.audit"
    _description = "Freight Audit"

    @api.model
    def _rate(self, shipments):
        """Expected charges of both sides from the cards in force at pickup
        (rewritten only when they change)."""
        Expected = self.env["logistics.expected.charge"]
        cards, stale, wanted_all = {}, Expected, []
        for shipment in shipments:
            wanted = self._expected_vals(shipment, "revenue", cards) + self._expected_vals(
                shipment, "cost", cards
            )
            current = [
                (e.side, e.audit_key, round(e.amount, 2), e.currency_id.id)
                for e in shipment.expected_charge_ids
            ]
            target = [
                (v["side"], v["audit_key"], round(v["amount"], 2), v["currency_id"]) for v in wanted
            ]
            if sorted(current) != sorted(target):
                stale |= shipment.expected_charge_ids
                wanted_all += wanted
        stale.unlink()
        Expected.create(wanted_all)

    @api.model
    def _expected_vals(self, shipment, side, cards):
        """``cards`` remembers the card in force per partner, side and day
        across a batch."""
        partner = shipment._card_partner(side)
        if not partner:
            return []
        day = shipment._rating_day()
        key = (partner.id, side, shipment.company_id.id, day)
        if key not in cards:
            cards[key] = self.env["logistics.rate.card"]._in_force(
                partner, CARD_SIDE[side], shipment.company_id, day
            )
        card = cards[key]
        if not card:
            return []
        common = {
            "shipment_id": shipment.id,
            "side": side,
            "currency_id": card.currency_id.id,
            "card_id": card.id,
        }
        lane, linehaul = card._linehaul(shipment)
        vals = []
        if lane:
            vals.append(
                {
                    **common,
                    "sequence": 1,
                    "audit_key": "linehaul",
                    "charge_type": "linehaul",
                    "description": self.env._("Linehaul %s", lane.display_name),
                    "amount": linehaul,
                    "lane_id": lane.id,
                }
            )
            if card.fuel_table_id:
                price, surcharge = card.fuel_table_id._surcharge(
                    day, linehaul, shipment.distance_km
                )
                if price:
                    vals.append(
                        {
                            **common,
                            "sequence": 2,
                            "audit_key": "fuel",
                            "charge_type": "fuel",
                            "description": self.env._(
                                "Fuel surcharge (fuel at %(price)s from %(day)s)",
                                price=price.price,
                                day=price.effective_date,
                            ),
                            "amount": surcharge,
                            "fuel_price_id": price.id,
                        }
                    )
        # an accessorial is expected when charged: the card says what it costs
        for charge in shipment._charges_of(side):
            entry = card._accessorial_named(charge.description)
            if charge.charge_type not in ("linehaul", "fuel") and entry:
                vals.append(
                    {
                        **common,
                        "sequence": 3,
                        "audit_key": f"accessorial:{entry.code}",
                        "charge_type": entry.charge_type,
                        "description": entry.name,
                        "amount": entry.amount,
                    }
                )
        return vals

    @api.model
    def _audit(self, shipments):
        """Compare each side's charges with the expected ones; mark each
        charge, open (or close) the finance exception of a mismatch. Returns
        the shipments' audit fields {shipment id: values} for them to write."""
        mismatch_type = self.env.ref("logistics_billing.exception_type_charge_mismatch")
        open_mismatches = {
            (exception.shipment_id.id, exception.audit_side): exception
            for exception in self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("shipment_id", "in", shipments.ids),
                    ("exception_type_id", "=", mismatch_type.id),
                    ("state", "in", ("new", "assigned")),
                ]
            )
        }
        results = {}
        for shipment in shipments:
            for side in ("revenue", "cost"):
                status, variance, verdict = self._audit_side(shipment, side)
                current = open_mismatches.get((shipment.id, side))
                if verdict or current:
                    self._mismatch_exception(shipment, side, verdict, current, mismatch_type)
                results.setdefault(shipment.id, {}).update(
                    {f"{side}_audit": status, f"{side}_variance": variance}
                )
        return results

    @api.model
    def _audit_side(self, shipment, side):
        """(status, variance, the verdict when mismatched) of one side."""
        charges = shipment._charges_of(side)
        expected_charges = shipment.expected_charge_ids.filtered(lambda e: e.side == side)
        verdict = None
        if not charges:
            status, variance = "none", 0.0
        elif not expected_charges:
            status, variance = "no_card", 0.0
            charges._mark_audited({"audit_status": "no_card", "audit_key": False})
        else:
            expected, labels = {}, {}
            for line in expected_charges:
                expected[line.audit_key] = expected.get(line.audit_key, 0.0) + line.amount
                labels[line.audit_key] = line.description
            actual = {}
            card = expected_charges.card_id[:1]
            for charge in charges:
                key = _audit_key(charge, card)
                actual[key] = actual.get(key, 0.0) + charge.amount
                labels.setdefault(key, charge.description or charge.charge_type)
            tolerance = self._tolerance(shipment, side)
            verdict = audit.audit(expected, actual, tolerance, labels)
            status, variance = verdict.status, verdict.variance
            by_key = {line.key: line for line in verdict.lines}
            for charge in charges:
                line = by_key[_audit_key(charge, card)]
                charge._mark_audited(
                    {
                        "audit_status": _line_status(line, status),
                        "audit_key": line.key,
                        "expected_amount": round(line.expected, 2),
                    }
                )
        return status, variance, verdict if status == audit.MISMATCHED else None

    @api.model
    def _tolerance(self, shipment, side):
        """The partner's tolerances, the company's where the partner has none."""
        partner = shipment._card_partner(side).commercial_partner_id
        company = shipment.company_id

        def pick(name):
            return partner[name] or company[name]

        return audit.Tolerance(
            amount=pick("logistics_tolerance_amount"),
            percent=pick("logistics_tolerance_percent"),
            line_percent=pick("logistics_line_tolerance_percent"),
        )

    @api.model
    def _mismatch_exception(self, shipment, side, verdict, current, mismatch_type):
        """One open mismatch exception per shipment and side, owned by finance;
        closed by itself when the charges pass again."""
        if verdict is None:
            if current:
                current.write(
                    {
                        "state": "resolved",
                        "resolution": self.env._("The charges were audited again and pass."),
                        "closed_date": fields.Datetime.now(),
                    }
                )
            return
        description = self.env._(
            "%(partner)s's charges differ from the rate card by %(variance).2f %(currency)s:\n\n"
            "%(table)s",
            partner=shipment._card_partner(side).display_name,
            variance=verdict.variance,
            currency=shipment.currency_id.name,
            table=verdict.table(),
        )
        if current:
            current.description = description
            return
        side_label = dict(self.env["logistics.expected.charge"]._fields["side"].selection)[side]
        self.env["logistics.exception"].sudo().create(
            {
                "name": self.env._(
                    "%(shipment)s: %(side)s charges do not match the rate card",
                    shipment=shipment.name,
                    side=side_label,
                ),
                "exception_type_id": mismatch_type.id,
                "company_id": shipment.company_id.id,
                "shipment_id": shipment.id,
                "audit_side": side,
                "description": description,
            }
        )


def _audit_key(charge, card):
    """What a reported charge is compared on: its type, or the catalogue
    entry it names, or (unknown to the card) its own description."""
    if charge.charge_type in ("linehaul", "fuel"):
        return charge.charge_type
    entry = card._accessorial_named(charge.description) if card else None
    if entry:
        return f"accessorial:{entry.code}"
    return f"{charge.charge_type}:{(charge.description or '').strip().lower()}"


def _line_status(line, bill_status):
    """A line that matches is matched; one within its tolerance passes only
    when the bill does too."""
    if abs(line.variance) < audit.CENT:
        return audit.MATCHED
    if line.within and bill_status != audit.MISMATCHED:
        return audit.WITHIN_VARIANCE
    return audit.MISMATCHED
