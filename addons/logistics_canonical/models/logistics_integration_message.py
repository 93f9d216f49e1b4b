import logging

from odoo import fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class LogisticsIntegrationMessage(models.Model):
    """A message in the shipment domain: the shipment it concerns, and the
    exceptions its failures opened for the team that owns them."""

    _inherit = "logistics.integration.message"

    shipment_id = fields.Many2one(
        "logistics.shipment", readonly=True, index="btree_not_null", ondelete="set null"
    )
    exception_ids = fields.One2many("logistics.exception", "message_id")

    def _api_state(self):
        return {**super()._api_state(), "shipment": self.shipment_id.name or None}

    def _link_subjects(self, subjects):
        shipments = {
            message_id: record.id
            for message_id, record in subjects.items()
            if record is not None and record._name == "logistics.shipment"
        }
        if not shipments:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE logistics_integration_message m SET shipment_id = v.shipment_id
                  FROM (VALUES %s) AS v (id, shipment_id) WHERE m.id = v.id
                """,
                SQL(", ").join(SQL("(%s, %s)", *row) for row in shipments.items()),
            )
        )
        self.invalidate_recordset(["shipment_id"])

    def _mark_failed(self, error, steps):
        """An identity conflict shows the shipments it is about, side by side."""
        result = super()._mark_failed(error, steps)
        shipment_ids = getattr(error, "shipment_ids", None)
        if shipment_ids:
            conflict = self._open_issues().filtered(
                lambda e: e.exception_type_id.code == "identity_conflict"
            )
            conflict.write(
                {"candidate_shipment_ids": [(6, 0, shipment_ids)], "shipment_id": shipment_ids[0]}
            )
        return result

    def _open_issue(self, type_code, text, field=None):
        """Open one exception per message and type; a repeated failure adds to
        its history. Bookkeeping must never break the drain: if it fails, the
        message still records its failure and the error is logged."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                exception = self._open_exception(type_code, text, field)
        except Exception:
            _logger.exception("message %s: could not open a %s exception", self.id, type_code)
            return self.env["logistics.exception"]
        if exception.shipment_id and not self.shipment_id:
            self.shipment_id = exception.shipment_id
        return exception

    def _open_exception(self, type_code, text, field):
        Type = self.env["logistics.exception.type"].sudo().with_context(active_test=False)
        exception_type = Type.search([("code", "=", type_code)], limit=1) or Type.search(
            [("code", "=", "invalid_message")], limit=1
        )
        open_one = self.exception_ids.filtered(
            lambda e: e.exception_type_id == exception_type and e.state in ("new", "assigned")
        )
        detail = f"{field}: {text}" if field else text
        if open_one:
            open_one.message_post(body=detail)
            return open_one
        shipment = self.shipment_id or self._known_shipment()
        return (
            self.env["logistics.exception"]
            .sudo()
            .create(
                {
                    "name": f"#{self.id} {self.backend_id.code}: {detail}"[:200],
                    "exception_type_id": exception_type.id,
                    "company_id": self.company_id.id,
                    "message_id": self.id,
                    "backend_id": self.backend_id.id,
                    "shipment_id": shipment.id,
                    "description": detail,
                }
            )
        )

    def _known_shipment(self):
        if not self.subject_ref:
            return self.env["logistics.shipment"]
        return self.env["logistics.external.ref"]._find(
            self.backend_id, "logistics.shipment", self.subject_ref
        )

    def _open_issues(self):
        return self.exception_ids.filtered(lambda e: e.state in ("new", "assigned"))

    def _resolve_issues(self, issues):
        """A message that finally went through closes the exceptions its earlier
        attempts raised (not those this attempt raised, e.g. for one bad event)."""
        issues.filtered(lambda e: e.state in ("new", "assigned")).write(
            {
                "state": "resolved",
                "resolution": self.env._("The message was processed."),
                "closed_date": fields.Datetime.now(),
            }
        )

    def _metric_families(self):
        return [
            *super()._metric_families(),
            (
                "logistics_open_exceptions",
                "gauge",
                "Open exceptions by severity and age.",
                self.env["logistics.exception.kpi"]._metric_samples(),
            ),
        ]
