import dataclasses
import hashlib
import json
import logging
import time
from datetime import timedelta, timezone

from odoo import api, fields, models
from odoo.sql_db import connection_info_for

from odoo.addons.logistics_integration.lib import rate_counter
from odoo.addons.queue_job.exception import RetryableJobError

from ..lib import pacing, polling, taxonomy
from ..lib.errors import BadAnswer, CarrierRefused, CarrierUnavailable, QuotaExceeded

_logger = logging.getLogger(__name__)

POLL_CHANNEL = "root.logistics.carrier_poll"
# A dispatched poll that has not reported back after this long may go again.
LEASE = timedelta(minutes=15)
DISPATCH_LIMIT = 5000
# Numbers due this soon may ride along in a request that has room.
EARLY = timedelta(hours=1)
# Refusals of a whole request that say nothing about its numbers.
CREDENTIAL_ERRORS = ("http_401", "http_403")
# Requests per second are paced (lib/pacing.py), the slot kept in PostgreSQL.
MAX_QUOTA_WAIT = 5  # seconds a poll job may sleep for its slot
QUOTA_SLOT = """
    INSERT INTO logistics_carrier_quota_slot (backend_id, next_at)
    VALUES (%(backend)s, clock_timestamp() + %(spacing)s::interval)
    ON CONFLICT (backend_id) DO UPDATE
       SET next_at = greatest(logistics_carrier_quota_slot.next_at, clock_timestamp())
                     + %(spacing)s::interval
    RETURNING extract(epoch FROM next_at - %(spacing)s::interval - clock_timestamp())
"""
QUOTA_GIVE_BACK = """
    UPDATE logistics_carrier_quota_slot SET next_at = next_at - %(spacing)s::interval
     WHERE backend_id = %(backend)s
    RETURNING 0
"""
QUOTA_DAY = """
    INSERT INTO logistics_carrier_quota_day (backend_id, day, hits)
    VALUES (%(backend)s, current_date, 1)
    ON CONFLICT (backend_id, day) DO UPDATE SET hits = logistics_carrier_quota_day.hits + 1
    RETURNING hits, extract(epoch FROM current_date + 1 - now())
"""
STATES = [
    ("tracking", "Tracking"),
    ("delivered", "Delivered"),
    ("closed", "Closed"),
    ("no_update", "No Update"),
    ("retired", "Silent"),
    ("recycled", "Recycled"),
]


class LogisticsCarrierTracking(models.Model):
    """One tracking number followed at one carrier for one shipment.

    Its key is (carrier, number, ship date): a number the carrier hands out
    again after its reuse window is a new row and a new shipment, never more
    events on the old one. Polling follows the parcel's stage (see
    lib/polling.py); at most one poll per number is in flight (``lease_until``).
    """

    _name = "logistics.carrier.tracking"
    _description = "Carrier Tracking Number"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _rec_name = "number"

    backend_id = fields.Many2one(
        "logistics.backend",
        string="Carrier",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("kind", "=", "carrier")],
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    number = fields.Char(string="Tracking Number", required=True, index=True)
    ship_date = fields.Date(required=True, default=fields.Date.context_today)
    shipment_ref = fields.Char(
        string="Shipment Key",
        required=True,
        readonly=True,
        help="Number and ship date: how this carrier's events name the shipment.",
    )
    shipment_id = fields.Many2one("logistics.shipment", index=True, ondelete="set null")
    picking_id = fields.Many2one("stock.picking", string="Delivery", index="btree_not_null")
    active = fields.Boolean(default=True)
    state = fields.Selection(STATES, required=True, default="tracking", tracking=True, index=True)
    carrier_status = fields.Selection(taxonomy.selection(), readonly=True, tracking=True)
    stage = fields.Selection(
        [
            (polling.PENDING, "Before first scan"),
            (polling.IN_TRANSIT, "In transit"),
            (polling.OUT_FOR_DELIVERY, "Out for delivery"),
            (polling.INCIDENT, "Incident"),
            (polling.DELIVERED, "Delivered"),
            (polling.FINAL, "Final"),
        ],
        default=polling.PENDING,
        required=True,
        readonly=True,
    )
    eta = fields.Datetime(string="Carrier ETA", readonly=True)
    last_event_at = fields.Datetime(readonly=True)
    last_polled_at = fields.Datetime(readonly=True)
    next_poll_at = fields.Datetime(readonly=True, index=True)
    poll_reason = fields.Char(string="Polling Reason", readonly=True)
    poll_count = fields.Integer(string="Polls", readonly=True)
    quiet_polls = fields.Integer(readonly=True, help="Polls in a row that brought nothing new.")
    confirmed = fields.Boolean(readonly=True, help="The confirmation poll after delivery was made.")
    lease_until = fields.Datetime(readonly=True, copy=False)
    digest = fields.Char(readonly=True, copy=False, help="Of the last answer handed to the door.")
    error = fields.Text(readonly=True)
    deviations = fields.Text(
        readonly=True, help="What was unusual in the carrier's last answer (and read anyway)."
    )
    tracking_url = fields.Char(compute="_compute_tracking_url", string="Tracking Page")

    def init(self):
        # one followed row per carrier and number; recycled ones are archived
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS logistics_carrier_tracking_active_number
                ON logistics_carrier_tracking (backend_id, number) WHERE active
            """
        )
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS logistics_carrier_quota_slot (
                backend_id integer PRIMARY KEY,
                next_at timestamptz NOT NULL
            );
            CREATE TABLE IF NOT EXISTS logistics_carrier_quota_day (
                backend_id integer NOT NULL,
                day date NOT NULL,
                hits integer NOT NULL,
                PRIMARY KEY (backend_id, day)
            )
            """
        )

    def _compute_tracking_url(self):
        for tracking in self:
            tracking.tracking_url = tracking.backend_id._carrier_tracking_link(tracking.number)

    # --- registering numbers ------------------------------------------------------

    @api.model
    def _track(self, backend, number, ship_date=None, picking=None, shipment=None):
        """The tracking row of ``number`` at ``backend``, created when the
        number is new or recycled, for ``shipment`` (else the shipment the
        number names, or a new one)."""
        number = number.strip()
        ship_date = ship_date or fields.Date.context_today(self)
        current = self.search([("backend_id", "=", backend.id), ("number", "=", number)], limit=1)
        if current and not current._recycled_by(ship_date):
            if picking and not current.picking_id:
                current.picking_id = picking
            return current
        if current:
            current._retire_recycled(ship_date)
        ref = self._new_ref(backend, number, ship_date)
        Identity = self.env["logistics.shipment.identity"]
        if shipment:
            Identity._bind_refs(backend, {ref: shipment})
        else:
            details = {"mode": "parcel"}
            if backend.partner_id.logistics_scac:
                details["carrier_scac"] = backend.partner_id.logistics_scac
            event = {
                "shipment_ref": ref,
                "identifiers": [{"type": "tracking", "value": number}],
                "shipment": details,
            }
            shipment = Identity._resolve(backend, [event])[ref]
        shipment._fill_blanks({"carrier_id": backend.partner_id.id, "pro_number": number})
        tracking = self.create(
            {
                "backend_id": backend.id,
                "number": number,
                "ship_date": ship_date,
                "shipment_ref": ref,
                "shipment_id": shipment.id,
                "picking_id": picking.id if picking else False,
            }
        )
        tracking._reschedule()
        return tracking

    @api.model
    def _carrier_backend(self, shipment):
        """The tracked carrier backend of the shipment's carrier, if any."""
        if not shipment.carrier_id:
            return self.env["logistics.backend"]
        return (
            self.env["logistics.backend"]
            .sudo()
            .search(
                [
                    ("kind", "=", "carrier"),
                    ("partner_id", "=", shipment.carrier_id.commercial_partner_id.id),
                    ("company_id", "=", shipment.company_id.id),
                    ("environment", "=", shipment.environment),
                ],
                limit=1,
            )
        )

    def _new_ref(self, backend, number, ship_date):
        """Number and ship date, unique among this carrier's rows (archived too)."""
        ref = f"{number}@{ship_date.isoformat()}"
        taken = self.with_context(active_test=False).search_count(
            [("backend_id", "=", backend.id), ("shipment_ref", "=like", f"{ref}%")]
        )
        return f"{ref}/{taken + 1}" if taken else ref

    def _recycled_by(self, ship_date):
        """Is a parcel shipped on ``ship_date`` another one under the same number?"""
        days = self.env.ref("logistics_canonical.identifier_kind_tracking").reuse_days
        last = (self.last_event_at.date() if self.last_event_at else None) or self.ship_date
        return bool(days) and (ship_date - last).days > days

    def _retire_recycled(self, ship_date):
        self.write({"active": False, "state": "recycled", "next_poll_at": False})
        self.flush_recordset(["active"])  # before the new row takes the number
        self.message_post(
            body=self.env._(
                "The carrier reused this number for a parcel shipped on %s: it now "
                "names a new shipment.",
                ship_date,
            )
        )

    def action_track_again(self):
        """Resume polling a number that stopped (an error or silence)."""
        self.write({"state": "tracking", "error": False, "quiet_polls": 0, "confirmed": False})
        for tracking in self:
            tracking._reschedule(since=fields.Datetime.now())

    # --- the schedule -------------------------------------------------------------

    def _reschedule(self, since=None):
        """Set the next poll from the stage and age; stop when the policy says so."""
        now = fields.Datetime.now()
        for tracking in self.filtered(lambda t: t.state == "tracking"):
            backend = tracking.backend_id
            decision = polling.next_poll(
                backend._polling_policy(),
                tracking.stage,
                now,
                since or tracking.last_event_at or tracking.create_date or now,
                tracking.quiet_polls,
                tracking.eta,
                tracking.confirmed,
            )
            vals = {"next_poll_at": decision.at, "poll_reason": decision.reason}
            if decision.at is None:
                vals["state"] = {
                    polling.DELIVERED: "delivered",
                    polling.FINAL: "closed",
                }.get(tracking.stage, "retired")
            tracking.write(vals)

    # --- what the carrier said (from the processor) -----------------------------------

    def _record(self, reading, new_statuses):
        """Take in one answer about this number: ``reading`` is the mapped
        document, ``new_statuses`` the ``(time, status)`` of its new events."""
        self.ensure_one()
        vals = {
            "eta": _naive(reading.eta) or self.eta,
            "deviations": "\n".join(reading.deviations) or False,
        }
        if new_statuses:
            when, status = max(new_statuses)
            when = _naive(when)
            if not self.last_event_at or when >= self.last_event_at:
                vals.update(
                    last_event_at=when, carrier_status=status, stage=taxonomy.stage_of(status)
                )
            vals["quiet_polls"] = 0
        if reading.pod_url:  # nothing more to wait for after delivery
            vals["confirmed"] = True
        self.write(vals)
        if not self.lease_until or self.lease_until < fields.Datetime.now():  # no poll in flight
            self._reschedule()

    # --- polling ------------------------------------------------------------------

    @api.model
    def _dispatch_polls(self):
        """Cron: hand the numbers due to poll jobs, per carrier, in batches."""
        now = fields.Datetime.now()
        self.env.cr.execute("DELETE FROM logistics_carrier_quota_day WHERE day < current_date - 7")
        carriers = self.env["logistics.backend"].search(
            [("kind", "=", "carrier"), ("carrier_sync", "!=", False)]
        )
        for backend in carriers:
            if backend.carrier_blocked_until and backend.carrier_blocked_until > now:
                continue
            if not backend._circuit().allows(now):
                continue
            self._dispatch(backend, now)

    @api.model
    def _dispatch(self, backend, now):
        """Lease the numbers due (and, to fill the last request, those due
        within the next hour) and give each batch a poll job."""
        size = backend.carrier_batch_size
        # no more than the quota lets through before the leases run out
        servable = backend.carrier_quota_per_second * LEASE.total_seconds() / 2 * size
        due = self._claim(backend, now, now, int(min(DISPATCH_LIMIT, servable or DISPATCH_LIMIT)))
        room = -len(due) % size if size > 1 else 0
        upcoming = self._claim(backend, now, now + EARLY, room, exclude=due) if room else []
        for batch in polling.batches(due, upcoming, size):
            self.with_delay(
                channel=POLL_CHANNEL,
                priority=10,
                description=f"Poll {backend.code} for {len(batch)} number(s)",
            )._poll(backend.id, batch)
        return len(due) + len(upcoming)

    def _claim(self, backend, now, until, limit, exclude=()):
        """Lease up to ``limit`` numbers due by ``until``, soonest first."""
        self.flush_model()
        self.env.cr.execute(
            """
            SELECT id FROM logistics_carrier_tracking
             WHERE backend_id = %s AND active AND state = 'tracking'
               AND next_poll_at <= %s AND (lease_until IS NULL OR lease_until < %s)
               AND NOT id = ANY(%s::int[])
             ORDER BY next_poll_at
             LIMIT %s
               FOR UPDATE SKIP LOCKED
            """,
            [backend.id, until, now, list(exclude), limit],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.browse(ids).write({"lease_until": now + LEASE})
        return ids

    @api.model
    def _poll(self, backend_id, tracking_ids):
        """Job: ask the carrier about a batch of numbers, hand what changed to
        the door, schedule each number's next poll."""
        backend = self.env["logistics.backend"].browse(backend_id).exists()
        trackings = (
            self.browse(tracking_ids)
            .exists()
            .filtered(lambda t: t.active and t.state == "tracking")
        )
        if not backend or not trackings:
            return "nothing to poll"
        now = fields.Datetime.now()
        waiting = self._take_quota(backend, trackings, now)
        if waiting:
            return waiting
        try:
            answer = backend._carrier_fetch(trackings.mapped("number"))
        except QuotaExceeded as error:
            until = now + timedelta(seconds=error.retry_after or 60)
            backend.sudo().carrier_blocked_until = until
            trackings.write({"lease_until": False, "next_poll_at": until})
            return f"carrier quota: waiting until {until}"
        except CarrierRefused as error:
            return self._refused(backend, trackings, error)
        except CarrierUnavailable as error:
            return self._unavailable(backend, trackings, error)
        circuit = backend._circuit()
        if circuit.state != "closed" or circuit.failures:  # failures count in a row
            circuit.record_success()
            backend._store_circuit(circuit)
        return self._take_answer(backend, trackings, answer, now)

    def _take_answer(self, backend, trackings, answer, now):
        mapping = backend._carrier_mapping()
        documents = {}
        for document in mapping.documents(answer, "poll"):
            documents.setdefault(mapping.number_of(document), document)
        items, problems = [], 0
        for tracking in trackings:
            document = documents.get(tracking.number)
            vals = {
                "lease_until": False,
                "last_polled_at": now,
                "poll_count": tracking.poll_count + 1,
                "confirmed": tracking.confirmed or tracking.stage == polling.DELIVERED,
            }
            error = mapping.parse(document).error if document else ""
            if error:
                problems += 1
                vals.update(state="no_update", error=error, next_poll_at=False)
                tracking.write(vals)
                tracking.shipment_id.message_post(
                    body=self.env._(
                        "%(carrier)s cannot track %(number)s: %(error)s",
                        carrier=backend.name,
                        number=tracking.number,
                        error=error,
                    )
                )
                continue
            payload = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
            digest = _digest(mapping.parse(document)) if document else tracking.digest
            if digest != tracking.digest:
                vals["digest"] = digest
                items.append(
                    {
                        "payload": payload,
                        "message_type": "carrier_tracking",
                        "idempotency_key": f"poll:{tracking.number}:{digest[:40]}",
                        "subject_ref": tracking.number,
                    }
                )
            else:
                vals["quiet_polls"] = tracking.quiet_polls + 1
            vals["error"] = False
            tracking.write(vals)
            tracking._reschedule()
        if items:
            self.env["logistics.inbox"]._receive(backend._inbox_target(), items)
        return f"{len(trackings)} polled, {len(items)} changed, {problems} untrackable"

    def _take_quota(self, backend, trackings, now):
        """Count one request against the carrier's quotas; say why not when
        the numbers must wait. Requests are paced (lib/pacing.py): the job
        waits for its slot, a few seconds at most, else it is retried when the
        slot comes. After a 429, or when the day's quota is used, the numbers
        wait until the carrier takes requests again."""
        if backend.carrier_blocked_until and backend.carrier_blocked_until > now:
            # queued before the carrier answered 429: wait like the others
            trackings.write({"lease_until": False, "next_poll_at": backend.carrier_blocked_until})
            return f"carrier quota: waiting until {backend.carrier_blocked_until}"
        if backend.carrier_quota_per_second:
            spacing = pacing.spacing(backend.carrier_quota_per_second)
            wait = self._counter(
                QUOTA_SLOT, {"backend": backend.id, "spacing": f"{spacing} seconds"}
            )
            if wait > MAX_QUOTA_WAIT:
                raise RetryableJobError(
                    "carrier quota per second", seconds=int(wait) + 1, ignore_retry=True
                )
            if wait > 0:
                time.sleep(wait)
        if backend.carrier_quota_per_day:
            used, seconds_left = self._counter(QUOTA_DAY, {"backend": backend.id})
            if used > backend.carrier_quota_per_day:
                tomorrow = now + timedelta(seconds=float(seconds_left))
                trackings.write({"lease_until": False, "next_poll_at": tomorrow})
                return "quota of the day used: waiting for tomorrow"
        return None

    def _counter(self, query, args):
        """One statement on the counters' own autocommitted connection: a
        request counted stays counted, whatever the job does next."""
        _dbname, params = connection_info_for(self.env.cr.dbname)
        row = rate_counter.execute(params, query, args)
        return float(row[0]) if len(row) == 1 else row

    def _unavailable(self, backend, trackings, error):
        """The carrier failed as a whole: the numbers wait, the circuit counts."""
        now = fields.Datetime.now()
        circuit = backend._circuit()
        circuit.record_failure(now)
        backend._store_circuit(circuit)
        wait = backend._retry_delay(circuit.failures)
        if isinstance(error, BadAnswer):  # kept where the admin looks
            self.env["logistics.inbox"]._refuse(
                backend._inbox_target(), error.body, error.code, str(error)
            )
        trackings.write(
            {
                "lease_until": False,
                "next_poll_at": max(
                    now + timedelta(seconds=wait), circuit.retry_at() if circuit.opened_at else now
                ),
                "error": str(error),
            }
        )
        return f"carrier unavailable ({error}); next try in {wait} s"

    def _refused(self, backend, trackings, error):
        """The carrier refused the request. Credentials concern the backend;
        anything else concerns a number: split the batch until the bad one is
        alone, so the others still update."""
        if error.code in CREDENTIAL_ERRORS:
            if not backend.circuit_failures:  # said once, not at every poll
                backend.message_post(
                    body=self.env._("The carrier refused our credentials: %s", error)
                )
            return self._unavailable(backend, trackings, error)
        if len(trackings) == 1:
            trackings.write(
                {
                    "state": "no_update",
                    "error": str(error),
                    "lease_until": False,
                    "next_poll_at": False,
                }
            )
            return f"{trackings.number} refused: {error}"
        half = len(trackings) // 2
        for part in (trackings[:half], trackings[half:]):
            self.with_delay(
                channel=POLL_CHANNEL,
                priority=10,
                description=f"Poll {backend.code} for {len(part)} number(s) (split)",
            )._poll(backend.id, part.ids)
        return f"refused ({error}): split into two batches"

    # --- proof of delivery --------------------------------------------------------

    def _want_pod(self, url, signed_by=""):
        """Fetch the carrier's POD once, in a job (the carrier may be slow)."""
        if not self._pod_milestone():
            self.with_delay(
                channel=POLL_CHANNEL,
                priority=20,
                identity_key=f"carrier-pod-{self.id}",
                description=f"Fetch the POD of {self.number}",
            )._fetch_pod(url, signed_by)

    def _pod_milestone(self):
        return self.shipment_id._has_milestone(f"{self.number}:pod")

    def _fetch_pod(self, url, signed_by=""):
        """Job: download the POD, attach it to the shipment and the delivery,
        record POD_RECEIVED. A carrier that fails retries the job."""
        if self._pod_milestone():
            return "already received"
        attachment = self.shipment_id._receive_pod(
            self.backend_id, url, f"{self.number}:pod", signed_by=signed_by
        )
        if not attachment:
            return "refused"
        if self.picking_id:
            attachment.copy({"res_model": "stock.picking", "res_id": self.picking_id.id})
        self.confirmed = True
        self._reschedule()
        return attachment.name


def _digest(reading):
    """Of what an answer says (a timestamp of the answer itself changes nothing)."""
    said = dataclasses.asdict(reading)
    said.pop("deviations")
    return hashlib.sha256(json.dumps(said, sort_keys=True, default=str).encode()).hexdigest()


def _naive(moment):
    """A carrier's aware time as Odoo stores it (naive UTC)."""
    if not moment:
        return False
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
