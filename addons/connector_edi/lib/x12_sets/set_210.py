"""210 freight invoice: amounts in N2 (two implied decimals)."""

from decimal import Decimal

from ..x12 import Problem
from .common import Spec, el, n2_amount

SPEC = Spec(
    ["B3", "L3"],
    """B3A C2 C3 ITD L11 N9 G62 R3 H3 K1 N1 N2 N3 N4 N7 M7 N5 IC IM LX POD L5 H1 H2 L0
    L1 L4 L7 L9 CD3 H6 SPO SDQ S5 TDS""".split(),
)


def read_210(transaction, default_offset_minutes=0):
    """Freight invoice: ``({invoice_number, shipment_id, scac, date, currency, total, charges}, problems)``."""
    invoice, problems, line = {"charges": [], "currency": "USD"}, [], None
    for index, seg in enumerate(transaction.segments, 1):
        tag, position = seg[0], transaction.position + index - 1
        if tag == "B3":
            invoice.update(
                invoice_number=el(seg, 2),
                shipment_id=el(seg, 3),
                payment=el(seg, 4),
                date=el(seg, 6),
                total=n2_amount(el(seg, 7)),
                scac=el(seg, 11),
            )
            if not invoice["invoice_number"]:
                problems.append(
                    Problem(
                        "element",
                        "1",
                        "B302 (invoice number) is mandatory",
                        position,
                        "B3",
                        2,
                        index,
                    )
                )
            if invoice["total"] is None:
                problems.append(
                    Problem("element", "6", "B307 is not a number", position, "B3", 7, index)
                )
        elif tag == "C3":
            invoice["currency"] = el(seg, 1) or "USD"
        elif tag == "L1":
            amount = n2_amount(el(seg, 4))
            if amount is None:
                problems.append(
                    Problem(
                        "element", "6", "L104 (charge) is not a number", position, "L1", 4, index
                    )
                )
                continue
            line = {
                "line": el(seg, 1),
                "code": el(seg, 8) or "400",
                "description": el(seg, 12),
                "amount": amount,
            }
            invoice["charges"].append(line)
        elif tag == "L3":
            invoice["total_l3"] = n2_amount(el(seg, 5))
    return invoice, problems


def build_210(invoice):
    cents = lambda amount: str(int((Decimal(amount) * 100).to_integral_value()))  # noqa: E731
    body = [
        [
            "B3",
            "",
            invoice["invoice_number"],
            invoice.get("shipment_id", ""),
            invoice.get("payment", "PP"),
            "",
            invoice["date"],
            cents(invoice["total"]),
            "",
            "",
            "",
            invoice.get("scac", ""),
        ],
        ["C3", invoice.get("currency", "USD")],
    ]
    for number, charge in enumerate(invoice["charges"], 1):
        body.append(["LX", str(number)])
        body.append(
            [
                "L1",
                str(number),
                "",
                "",
                cents(charge["amount"]),
                "",
                "",
                "",
                charge.get("code", "400"),
                "",
                "",
                "",
                charge.get("description", ""),
            ]
        )
    body.append(["L3", "", "", "", "", cents(invoice["total"])])
    return body
