from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.logistics_integration.lib import destinations, pod_download
from odoo.addons.queue_job.exception import RetryableJobError

from ..lib.timeutil import format_local, parse_event_time
from ..lib.tracking import derive
from .logistics_milestone_code import SHIPMENT_STATUSES

FINAL_STATUSES = ("delivered", "lost", "returned", "cancelled")
MODE_SELECTION = [
    ("ftl", "Full Truckload"),
    ("ltl", "Less than Truckload"),
    ("parcel", "Parcel"),
    ("intermodal", "Intermodal"),
    ("ocean", "Ocean"),
    ("air", "Air"),
    ("rail", "Rail"),
]


class LogisticsShipment(models.Model):
    _name = "logistics.shipment"
    _description = "Shipment"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, index="trigram", default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    customer_id = fields.Many2one("res.partner", tracking=True, index=True, check_company=True)
    carrier_id = fields.Many2one(
        "res.partner",
        tracking=True,
        index=True,
        check_company=True,
        domain="[('is_logistics_carrier', '=', True)]",
    )
    carrier_scac = fields.Char(related="carrier_id.logistics_scac", string="SCAC")
    vehicle = fields.Char(
        tracking=True,
        index="btree_not_null",
        help="Plate or fleet number of the truck carrying it (set by dispatch); the truck's "
        "telematics positions find the shipment by it.",
    )
    mode = fields.Selection(MODE_SELECTION, default="ftl")
    environment = fields.Selection(
        [("sandbox", "Sandbox"), ("test", "Test"), ("production", "Production")],
        default="production",
        required=True,
        index=True,
        help="Shipments created by a sandbox or test backend live apart from production: "
        "no backend of another environment can change them.",
    )
    customer_reference = fields.Char(index="trigram", tracking=True)
    bol_number = fields.Char(string="Bill of Lading", index="trigram")
    pro_number = fields.Char(
        string="PRO Number", index="trigram", help="The carrier's PRO or tracking number."
    )
    origin_id = fields.Many2one("res.partner", string="Origin", check_company=True)
    destination_id = fields.Many2one("res.partner", string="Destination", check_company=True)
    lane = fields.Char(compute="_compute_lane", store=True)
    weight_kg = fields.Float(string="Weight (kg)")
    pieces = fields.Integer(string="Handling Units")
    notes = fields.Html()

    planned_pickup = fields.Datetime(tracking=True)
    planned_delivery = fields.Datetime(tracking=True)

    # Derived from the milestone history by _refresh_tracking, never typed in.
    status = fields.Selection(
        SHIPMENT_STATUSES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        group_expand="_group_expand_status",
    )
    status_milestone_id = fields.Many2one(
        "logistics.milestone", readonly=True, string="Status Set By"
    )
    last_event_time = fields.Datetime(readonly=True, string="Last Event")
    eta = fields.Datetime(string="Latest ETA", readonly=True, tracking=True)
    actual_pickup = fields.Datetime(readonly=True)
    actual_delivery = fields.Datetime(readonly=True)
    is_delayed = fields.Boolean(
        compute="_compute_is_delayed",
        store=True,
        help="Delivered, or expected to deliver, after the planned delivery.",
    )

    stop_ids = fields.One2many("logistics.shipment.stop", "shipment_id", string="Stops", copy=True)
    milestone_ids = fields.One2many("logistics.milestone", "shipment_id", string="Timeline")
    exception_ids = fields.One2many("logistics.exception", "shipment_id", string="Exceptions")
    charge_ids = fields.One2many(
        "logistics.freight.charge", "shipment_id", string="Freight Charges"
    )
    external_ref_ids = fields.One2many(
        "logistics.external.ref",
        "res_id",
        string="External References",
        domain=[("res_model", "=", "logistics.shipment")],
    )
    identifier_ids = fields.One2many(
        "logistics.shipment.identifier", "shipment_id", string="Identifiers"
    )
    is_late = fields.Boolean(
        compute="_compute_is_late",
        search="_search_is_late",
        string="Late",
        help="Delayed, or past its planned delivery and not delivered yet.",
    )
    open_exception_count = fields.Integer(compute="_compute_open_exception_count", store=True)
    milestone_count = fields.Integer(compute="_compute_milestone_count")
    total_charges = fields.Monetary(compute="_compute_total_charges", currency_field="currency_id")

    _sql_constraints = [
        (
            "name_company_unique",
            "UNIQUE (name, company_id)",
            "Shipment references are unique per company.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("logistics.shipment")
                    or "/"
                )
        return super().create(vals_list)

    @api.model
    def _group_expand_status(self, statuses, domain):
        return [key for key, _label in SHIPMENT_STATUSES]

    @api.depends("origin_id.city", "destination_id.city")
    def _compute_lane(self):
        for shipment in self:
            ends = [shipment.origin_id.city, shipment.destination_id.city]
            shipment.lane = " → ".join(end or "?" for end in ends) if any(ends) else False

    @api.depends("planned_delivery", "eta", "actual_delivery")
    def _compute_is_delayed(self):
        for shipment in self:
            expected = shipment.actual_delivery or shipment.eta
            shipment.is_delayed = bool(
                shipment.planned_delivery and expected and expected > shipment.planned_delivery
            )

    def _compute_is_late(self):
        now = fields.Datetime.now()
        for shipment in self:
            overdue = (
                shipment.status not in FINAL_STATUSES
                and shipment.planned_delivery
                and shipment.planned_delivery < now
            )
            shipment.is_late = bool(shipment.is_delayed or overdue)

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Late."))
        late = [
            "|",
            ("is_delayed", "=", True),
            "&",
            ("status", "not in", FINAL_STATUSES),
            ("planned_delivery", "<", fields.Datetime.now()),
        ]
        return late if (operator == "=") == value else ["!", *late]

    @api.depends("exception_ids.state")
    def _compute_open_exception_count(self):
        for shipment in self:
            shipment.open_exception_count = len(
                shipment.exception_ids.filtered(lambda exc: exc.state in ("new", "assigned"))
            )

    def _compute_milestone_count(self):
        groups = self.env["logistics.milestone"]._read_group(
            [("shipment_id", "in", self.ids)], ["shipment_id"], ["__count"]
        )
        counts = {shipment.id: count for shipment, count in groups}
        for shipment in self:
            shipment.milestone_count = counts.get(shipment.id, 0)

    @api.depends("charge_ids.amount", "charge_ids.validation_state")
    def _compute_total_charges(self):
        for shipment in self:
            shipment.total_charges = sum(
                shipment.charge_ids.filtered(lambda c: c.validation_state != "rejected").mapped(
                    "amount"
                )
            )

    def _refresh_tracking(self):
        """Recompute status, derived dates and milestone flags from the history.
        A merged shipment keeps what it showed: its history lives on in the other."""
        for shipment in self.filtered(lambda s: not s.merged_into_id):
            milestones = shipment.with_context(active_test=False).milestone_ids
            tracking = derive(milestone._tracking_fact() for milestone in milestones)
            for milestone in milestones:
                flags = {
                    "is_late": milestone.id in tracking.late,
                    "is_duplicate": milestone.id in tracking.duplicates,
                }
                if any(milestone[name] != value for name, value in flags.items()):
                    milestone.write(flags)
            vals = {
                "status": tracking.status or "draft",
                "status_milestone_id": tracking.status_key or False,
                "last_event_time": tracking.last_event_time or False,
                "eta": tracking.eta or False,
                "actual_pickup": tracking.dates.get("PICKED_UP") or False,
                "actual_delivery": tracking.dates.get("DELIVERED") or False,
            }
            current = {name: shipment[name] for name in vals}
            current["status_milestone_id"] = shipment.status_milestone_id.id
            changed = {name: value for name, value in vals.items() if current[name] != value}
            if changed:
                shipment.write(changed)
            shipment.stop_ids._apply_stop_times(tracking.stop_times)

    def _record_milestone(self, code, event_time, key=None, **values):
        """Record a milestone seen here rather than reported by a message (a
        warehouse step, a fetched POD, a cancelled order); once per ``key``."""
        self.ensure_one()
        Milestone = self.env["logistics.milestone"]
        if key and self._has_milestone(key):
            return Milestone
        return Milestone.create(
            {
                "shipment_id": self.id,
                "milestone_code_id": self.env["logistics.milestone.code"]._by_code(code).id,
                "event_time": event_time,
                "source_event_id": key,
                **values,
            }
        )

    def _has_milestone(self, key):
        self.ensure_one()
        return bool(
            self.env["logistics.milestone"].search_count(
                [("shipment_id", "=", self.id), ("source_event_id", "=", key)], limit=1
            )
        )

    def _receive_pod(self, backend, url, key, event_time=None, signed_by=""):
        """For a job: fetch the POD a partner links to, attach it, record
        POD_RECEIVED (once per ``key``). Returns the attachment, or None when the
        document will not come (said in the chatter); a partner that cannot
        serve it now retries the job."""
        self.ensure_one()
        backend = backend.sudo()
        try:
            name, mimetype, content = pod_download.fetch(
                url, backend.base_url, backend._secret("api_token"), destinations.private_address
            )
        except pod_download.PodUnavailable as error:
            raise RetryableJobError(str(error), seconds=300) from error
        except pod_download.PodRefused as error:
            self.message_post(
                body=self.env._(
                    "The POD from %(backend)s could not be fetched: %(error)s",
                    backend=backend.name,
                    error=error,
                )
            )
            return None
        return self._keep_pod(
            backend, key, name or f"POD-{self.name}.pdf", mimetype, content, event_time, signed_by
        )

    def _keep_pod(self, backend, key, name, mimetype, content, event_time=None, signed_by=""):
        """A proof of delivery kept and POD_RECEIVED recorded, once per ``key``:
        the one way for a POD fetched from a partner and one sent from the field."""
        self.ensure_one()
        attachment = self._keep_document(name, mimetype, content)
        self._record_milestone(
            "POD_RECEIVED",
            event_time or fields.Datetime.now(),
            key=key,
            backend_id=backend.id,
            document_ref=attachment.name,
            source_text=signed_by and self.env._("Signed by %s", signed_by),
        )
        return attachment

    def _keep_document(self, name, mimetype, content):
        """``content`` attached to the shipment, once: the same file again is
        the attachment already there (a retried upload, a replayed message)."""
        self.ensure_one()
        Attachment = self.env["ir.attachment"]
        known = Attachment.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("checksum", "=", Attachment._compute_checksum(content)),
            ],
            limit=1,
        )
        return known or Attachment.create(
            {
                "name": name,
                "mimetype": mimetype,
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    def _pod_documents(self):
        """The proofs of delivery kept on the shipment: the attachments its
        (not retracted) POD_RECEIVED milestones name."""
        self.ensure_one()
        names = self.milestone_ids.filtered(
            lambda m: m.code == "POD_RECEIVED" and not m.is_retracted
        ).mapped("document_ref")
        if not names:
            return self.env["ir.attachment"]
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", self._name), ("res_id", "=", self.id), ("name", "in", names)]
            )
        )

    @api.model
    def _vals_from_event(self, backend, event):
        details = event.get("shipment") or {}
        planned = {
            name: parse_event_time(details[name])[0]
            for name in ("planned_pickup", "planned_delivery")
            if details.get(name)
        }
        carrier = self._partner_named(backend, "logistics_scac", details.get("carrier_scac"))
        customer = self._partner_named(backend, "ref", details.get("customer_code"))
        return {
            "company_id": backend.company_id.id,
            "environment": backend.environment,
            "customer_id": customer.id,
            "origin_id": self._facility(backend, details.get("origin")).id,
            "destination_id": self._facility(backend, details.get("destination")).id,
            "customer_reference": details.get("customer_ref"),
            "bol_number": details.get("bol_number"),
            "pro_number": details.get("pro_number"),
            "mode": details.get("mode") or "ftl",
            "carrier_id": carrier.id,
            **planned,
        }

    @api.model
    def _partner_named(self, backend, field, value):
        """The partner of the backend's company (or shared) whose ``field`` is ``value``."""
        if not value:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            [(field, "=", value), ("company_id", "in", [False, backend.company_id.id])], limit=1
        )

    @api.model
    def _facility(self, backend, place):
        """The contact of a pickup or delivery place a backend names, created when new."""
        Partner = self.env["res.partner"]
        if not place:
            return Partner
        domain = [
            ("name", "=", place["name"]),
            ("company_id", "in", [False, backend.company_id.id]),
        ]
        if place.get("city"):
            domain.append(("city", "=", place["city"]))
        country = self.env["res.country"].search([("code", "=", place.get("country"))], limit=1)
        return Partner.search(domain, limit=1) or Partner.create(
            {
                "name": place["name"],
                "city": place.get("city"),
                "country_id": country.id,
                "company_id": backend.company_id.id,
            }
        )

    def _stop_for_event(self, stop):
        """The stop an event names by sequence, created when the event is the first to name it."""
        self.ensure_one()
        if not stop:
            return self.env["logistics.shipment.stop"]
        found = self.stop_ids.filtered(lambda s: s.sequence == stop["sequence"])[:1]
        if found:
            return found
        return self.env["logistics.shipment.stop"].create(
            {
                "shipment_id": self.id,
                "sequence": stop["sequence"],
                "stop_type": stop.get("type") or "transit",
                "location_code": stop.get("location_code"),
                "city": stop.get("name"),
            }
        )

    def action_record_milestone(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Milestone"),
            "res_model": "logistics.milestone.record",
            "view_mode": "form",
            "target": "new",
            "context": {"default_shipment_id": self.id},
        }

    def action_view_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_canonical.action_exception"
        )
        action["domain"] = [("shipment_id", "=", self.id)]
        action["context"] = {"default_shipment_id": self.id}
        return action

    def action_view_milestones(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "logistics_canonical.action_milestone"
        )
        action["domain"] = [("shipment_id", "=", self.id)]
        action["context"] = {"default_shipment_id": self.id}
        return action

    # --- the timeline: what the form widget and the customers' pages show --------

    def get_timeline(self):
        """Stops with their plan and actuals, milestones newest first with
        their marks, and the ETA against the promised delivery. Times are UTC
        ISO strings; each milestone also carries its time where it happened."""
        self.ensure_one()
        self.check_access("read")
        return self.sudo()._timeline()

    def _expected_delivery(self):
        """When it was or will be delivered, as best known (modules add sources)."""
        return self.actual_delivery or self.eta

    def _timeline(self):
        self.ensure_one()
        status = dict(self._fields["status"]._description_selection(self.env))
        promised = self.planned_delivery
        expected = self._expected_delivery()
        return {
            "name": self.name,
            "status": self.status,
            "status_label": status.get(self.status, ""),
            "delivered": bool(self.actual_delivery),
            "eta": _iso(expected),
            "promised": _iso(promised),
            "slip_minutes": (
                round((expected - promised).total_seconds() / 60) if expected and promised else None
            ),
            "stops": [self._timeline_stop(stop) for stop in self.stop_ids],
            "milestones": [
                self._timeline_milestone(milestone)
                for milestone in self.milestone_ids.sorted(
                    lambda m: (m.event_time, m.id), reverse=True
                )
            ],
        }

    @api.model
    def _timeline_stop(self, stop):
        kinds = dict(stop._fields["stop_type"]._description_selection(self.env))
        return {
            "id": stop.id,
            "kind": stop.stop_type,
            "kind_label": kinds.get(stop.stop_type, ""),
            "place": stop.partner_id.name or stop.city or stop.location_code or "",
            "city": stop.city or "",
            "window_start": _iso(stop.window_start),
            "window_end": _iso(stop.window_end),
            "arrival": _iso(stop.actual_arrival),
            "departure": _iso(stop.actual_departure),
            "state": stop.state,
            "late": stop.is_late,
        }

    def _timeline_milestone(self, milestone):
        classifiers = dict(milestone._fields["classifier"]._description_selection(self.env))
        return {
            "id": milestone.id,
            "time": _iso(milestone.event_time),
            "time_local": format_local(milestone.event_time, milestone.event_utc_offset),
            "code": milestone.code,
            "label": milestone.milestone_code_id.name,
            "icon": milestone.icon or "fa-circle",
            "category": milestone.category,
            "classifier": milestone.classifier,
            "classifier_label": classifiers.get(milestone.classifier, ""),
            "stop": milestone.stop_id.display_name or "",
            "location": milestone.location_name or milestone.city or "",
            "reason": milestone.reason_text or "",
            "source": milestone.backend_id.name or self.env._("Odoo"),
            "raw_code": milestone.source_code or "",
            "raw_text": milestone.source_text or "",
            "received": _iso(milestone.received_time),
            "behind_plan": self._behind_plan(milestone),
            "out_of_order": milestone.is_late,
            "duplicate": milestone.is_duplicate,
            "retracted": milestone.is_retracted,
        }

    def _behind_plan(self, milestone):
        """An actual arrival after its stop's appointment, or a delivery after
        the promised time."""
        if milestone.classifier != "actual" or milestone.is_retracted:
            return False
        code = milestone.milestone_code_id
        if code.stop_event == "arrival" and milestone.stop_id.window_end:
            return milestone.event_time > milestone.stop_id.window_end
        if code.shipment_status == "delivered" and self.planned_delivery:
            return milestone.event_time > self.planned_delivery
        return False


def _iso(moment):
    return fields.Datetime.to_string(moment).replace(" ", "T") + "Z" if moment else False
