"""A WMS event read against the delivery order it names: what it changes,
and where it contradicts what Odoo knows (plain Python: quantities in, a
verdict out)."""

from dataclasses import dataclass, field
from pathlib import Path

from .template import document_problems

SCHEMA = Path(__file__).parent / "schemas" / "wms-event-v1.json"


def event_problems(event):
    """``[{"field", "message"}]`` of a WMS event against its schema."""
    return document_problems(SCHEMA, event)


@dataclass
class Verdict:
    """What a step does to a delivery: the quantity per product to set, the
    contradictions that stop it, the shortfalls it reports."""

    quantities: dict = field(default_factory=dict)
    contradictions: list = field(default_factory=list)
    shortfalls: list = field(default_factory=list)


def judge(step, lines, demand, picked):
    """``lines``: ``{product: quantity}`` the WMS reports; ``demand`` and
    ``picked``: ``{product: quantity}`` of the delivery (picked: what was
    confirmed picked so far, empty when nothing was)."""
    verdict = Verdict()
    for product, quantity in lines.items():
        if product not in demand:
            verdict.contradictions.append(f"{product} is not on this delivery")
            continue
        if step == "shipped" and picked and quantity > picked.get(product, 0):
            verdict.contradictions.append(
                f"{product}: {quantity:g} shipped, only {picked.get(product, 0):g} picked"
            )
        elif quantity > demand[product]:
            verdict.contradictions.append(
                f"{product}: {quantity:g} {step.replace('_', ' ')}, {demand[product]:g} ordered"
            )
        elif quantity < demand[product]:
            verdict.shortfalls.append(f"{product}: {quantity:g} of {demand[product]:g}")
        verdict.quantities[product] = quantity
    return verdict
