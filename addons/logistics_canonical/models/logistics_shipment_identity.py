from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.logistics_integration.lib.errors import PermanentError

from ..lib import identity
from ..lib.timeutil import parse_event_time

# Where an event's shipment details carry identifiers.
DETAIL_KINDS = (("pro_number", "pro"), ("bol_number", "bol"), ("customer_ref", "customer_order"))
# last_seen moves only by steps of this much: reuse windows count in days, and
# most messages then write nothing.
LAST_SEEN_STEP = timedelta(hours=12)


class IdentityConflict(PermanentError):
    """A message's identifiers name more than one shipment: a person decides."""

    code = "identity_conflict"
    exception_type = "identity_conflict"

    def __init__(self, message, shipment_ids):
        super().__init__(message)
        self.shipment_ids = shipment_ids


class LogisticsShipmentIdentity(models.AbstractModel):
    """One shipment, many names: which shipment a backend's message is about."""

    _name = "logistics.shipment.identity"
    _description = "Shipment Identity Resolution"

    @property
    def _shipments(self):
        return self.env["logistics.shipment"]

    @api.model
    def _resolve(self, backend, events):
        """The shipments ``backend`` names in ``events``: ``{shipment_ref: shipment}``.

        The backend's own reference first; else the identifiers the events carry,
        within the company and environment of the backend; else a new shipment.
        A shipment found by identifier is bound to the backend's reference, so
        the next message takes the direct path; identifiers it did not have yet
        are added. Identifiers naming two shipments raise an IdentityConflict."""
        refs = list(dict.fromkeys(event["shipment_ref"] for event in events))
        found = self._bound(backend, refs)
        claims = self._claims(backend, events)
        known = self._known_for(backend, claims)
        matching = set(backend.match_kind_ids.ids)
        windows = {kind: days for kind, (_scope, days) in self._kinds().items()}
        leaders, matched, new, stale = {}, {}, {}, []
        for ref in refs:
            wanted = [claim for claim in claims.get(ref, ()) if claim.kind in matching]
            answer = identity.resolve(wanted, known, windows)
            stale += answer.reused
            named = answer.shipments
            if ref in found:
                if named - {found[ref].id}:
                    self._conflict(ref, found[ref] | self._shipments.browse(named), claims[ref])
            elif len(named) > 1:
                self._conflict(ref, self._shipments.browse(sorted(named)), claims[ref])
            elif named:
                matched[ref] = self._shipments.browse(named)
            else:  # new: another new reference of this batch may carry the same number
                leader = next((leaders[_loose(c)] for c in wanted if _loose(c) in leaders), ref)
                for claim in wanted:
                    leaders.setdefault(_loose(claim), leader)
                new[ref] = leader
        found.update(matched)
        found.update(self._create_missing(backend, events, new))
        self._bind_refs(backend, {ref: found[ref] for ref in (*matched, *new)})
        Identifier = self.env["logistics.shipment.identifier"].sudo()
        if stale:  # retired before the new holder is written: one active per number
            Identifier.browse(sorted({k.id for k in stale}))._retire_reused()
        self._learn(backend, found, claims, [k for k in known if k not in stale])
        return found

    @api.model
    def _bound(self, backend, refs):
        """``{ref: shipment}`` of the references ``backend`` already bound, in one query."""
        bound = self.env["logistics.external.ref"].search_fetch(
            [
                ("backend_id", "=", backend.id),
                ("res_model", "=", self._shipments._name),
                ("external_id", "in", refs),
            ],
            ["external_id", "res_id"],
        )
        found = {ref.external_id: self._shipments.browse(ref.res_id) for ref in bound}
        for shipment in found.values():
            if shipment.environment != backend.environment:
                raise PermanentError(
                    f"shipment {shipment.name} is {shipment.environment} data; "
                    f"backend {backend.code} is {backend.environment}",
                    code="environment_mismatch",
                    field="shipment_ref",
                )
        return found

    @api.model
    def _kinds(self):
        return self.env["logistics.identifier.kind"]._scopes_and_windows()

    @api.model
    def _claims(self, backend, events):
        """``{shipment_ref: [Claim]}``: the identifiers each reference's events carry,
        with the scope each is unique in."""
        kind_ids = self.env["logistics.identifier.kind"]._ids_by_code()
        kinds = self._kinds()
        reference_kind = backend.reference_kind_id.code
        partners = _PartnerLookup(self.env, backend)
        claims = {}
        for event in events:
            details = event.get("shipment") or {}
            pairs = [(code, details.get(name)) for name, code in DETAIL_KINDS]
            pairs += [(item["type"], item["value"]) for item in event.get("identifiers") or ()]
            if reference_kind:
                pairs.append((reference_kind, event["shipment_ref"]))
            at = None
            by_key = claims.setdefault(event["shipment_ref"], {})
            for code, raw in pairs:
                kind, value = kind_ids.get(code), (raw or "").strip()
                if not kind or not identity.normalize(value):
                    continue
                scope, reuse_days = kinds[kind]
                if reuse_days and at is None:
                    at = _event_time(event)
                claim = identity.Claim(
                    kind=kind,
                    value=value,
                    backend=backend.id if scope == "backend" else 0,
                    partner=partners.scope(scope, details),
                    at=at,
                )
                by_key.setdefault(claim.key(), claim)
        return {ref: list(by_key.values()) for ref, by_key in claims.items()}

    @api.model
    def _known_for(self, backend, claims):
        """The active identifiers of the backend's company and environment that
        could answer ``claims``, in one query."""
        pairs = {(claim.kind, claim.match_value) for group in claims.values() for claim in group}
        if not pairs:
            return []
        identifiers = (
            self.env["logistics.shipment.identifier"]
            .sudo()
            .search_fetch(
                [
                    ("company_id", "=", backend.company_id.id),
                    ("environment", "=", backend.environment),
                    ("kind_id", "in", list({kind for kind, _value in pairs})),
                    ("match_value", "in", list({value for _kind, value in pairs})),
                ],
                [
                    "shipment_id",
                    "kind_id",
                    "match_value",
                    "scope_backend_id",
                    "scope_partner_id",
                    "last_seen",
                ],
            )
        )
        return [k for k in identifiers._as_known() if (k.kind, k.match_value) in pairs]

    def _conflict(self, ref, shipments, claims):
        names = " and ".join(shipments.mapped("name"))
        numbers = ", ".join(dict.fromkeys(c.value for c in claims if c.value != ref))
        raise IdentityConflict(
            f"{ref} (with {numbers}) points to {names}: merge them if they are one load, "
            "or correct the wrong number; the message is replayed after the merge",
            shipments.ids,
        )

    @api.model
    def _create_missing(self, backend, events, new):
        """``{ref: shipment}`` for ``new`` references (``{ref: leader ref}``): one
        shipment per leader, shared by the references that follow it."""
        first_event = {}
        for event in events:
            first_event.setdefault(event["shipment_ref"], event)
        leaders = list(dict.fromkeys(new.values()))
        created = dict(
            zip(
                leaders,
                self._shipments.create(
                    [self._shipments._vals_from_event(backend, first_event[r]) for r in leaders]
                ),
                strict=True,
            )
        )
        return {ref: created[leader] for ref, leader in new.items()}

    @api.model
    def _bind_refs(self, backend, shipments):
        """Bind the backend's references to their shipments; the kind says what
        the reference is (the backend's reference type, else its own name)."""
        if shipments:
            kind = backend.reference_kind_id.name or self.env._("shipment reference")
            self.env["logistics.external.ref"].create(
                [
                    {
                        "backend_id": backend.id,
                        "res_model": self._shipments._name,
                        "res_id": shipment.id,
                        "external_id": ref,
                        "kind": kind,
                    }
                    for ref, shipment in shipments.items()
                ]
            )

    @api.model
    def _learn(self, backend, found, claims, known):
        """Add the identifiers a shipment did not have yet; move ``last_seen`` of
        those it had."""
        Identifier = self.env["logistics.shipment.identifier"].sudo()
        on_shipment, held = {}, {}
        for candidate in known:
            on_shipment.setdefault(candidate.shipment, []).append(candidate)
            held[_exact(candidate)] = candidate.shipment
        new_vals, seen_at = {}, {}
        for ref, shipment in found.items():
            for claim in claims.get(ref, ()):
                same = [
                    k for k in on_shipment.get(shipment.id, ()) if identity.compatible(claim, k)
                ]
                # a number held by another shipment but not matched on (a container
                # of an earlier trip) stays there
                if not same and held.get(claim.key(), shipment.id) == shipment.id:
                    new_vals.setdefault(
                        (shipment.id, claim.key()), self._identifier_vals(backend, shipment, claim)
                    )
                for k in same:
                    if claim.at and (not k.last_seen or claim.at - k.last_seen > LAST_SEEN_STEP):
                        seen_at[k.id] = max(claim.at, seen_at.get(k.id, claim.at))
        if new_vals:
            Identifier.create(list(new_vals.values()))._show_on_shipments()
        for identifier_id, at in seen_at.items():
            Identifier.browse(identifier_id).last_seen = at

    @api.model
    def _identifier_vals(self, backend, shipment, claim):
        return {
            "shipment_id": shipment.id,
            "kind_id": claim.kind,
            "value": claim.value,
            "scope_backend_id": claim.backend or False,
            "scope_partner_id": claim.partner or False,
            "backend_id": backend.id,
            # what flushing would compute, given: one INSERT and no UPDATE per batch
            "match_value": claim.match_value,
            "company_id": shipment.company_id.id,
            "environment": shipment.environment,
            "last_seen": claim.at or fields.Datetime.now(),
        }


class _PartnerLookup:
    """The partner that issued an identifier, by scope; one search per SCAC or
    customer code however many events name it."""

    def __init__(self, env, backend):
        self.env, self.backend, self.cache = env, backend, {}
        partner = backend.partner_id
        self.backend_carrier = partner.id if partner.is_logistics_carrier else 0

    def scope(self, scope, details):
        if scope == "carrier":
            scac = details.get("carrier_scac")
            return self.find("logistics_scac", scac) if scac else self.backend_carrier
        if scope in ("shipper", "customer") and details.get("customer_code"):
            return self.find("ref", details["customer_code"])
        return 0

    def find(self, field, value):
        if (field, value) not in self.cache:
            shipments = self.env["logistics.shipment"]
            self.cache[field, value] = shipments._partner_named(self.backend, field, value).id
        return self.cache[field, value]


def _loose(claim):
    """Claims that would name the same new shipment (partners compatible)."""
    return (claim.kind, claim.backend, claim.match_value)


def _exact(known):
    return (known.kind, known.backend, known.partner, known.match_value)


def _event_time(event):
    if event.get("event_time"):
        return parse_event_time(event["event_time"])[0]
    return fields.Datetime.now()
