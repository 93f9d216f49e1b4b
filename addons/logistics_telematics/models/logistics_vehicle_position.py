from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.tools.sql import create_unique_index


class LogisticsVehiclePosition(models.Model):
    """A truck's position as its telematics unit reported it (raw, kept for
    the backend's retention window, then summed up in vehicle tracks)."""

    _name = "logistics.vehicle.position"
    _description = "Vehicle Position"
    _order = "position_time desc, id desc"
    _log_access = False  # millions of rows: when it was taken is what counts

    backend_id = fields.Many2one("logistics.backend", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True)
    vehicle = fields.Char(required=True)
    position_time = fields.Datetime(required=True, index=True)
    latitude = fields.Float(digits=(10, 7), required=True)
    longitude = fields.Float(digits=(10, 7), required=True)
    speed_kmh = fields.Float(string="Speed (km/h)", digits=(6, 1))
    message_id = fields.Many2one("logistics.integration.message", ondelete="set null")

    def init(self):
        # one position per vehicle and moment: a batch sent again stores nothing twice
        create_unique_index(
            self.env.cr,
            "logistics_vehicle_position_unique",
            self._table,
            ["backend_id", "vehicle", "position_time"],
        )

    @api.model
    def _store(self, message, positions):
        """Insert ``positions`` (dicts of lib/positions.py) in one statement;
        return how many were new."""
        backend = message.backend_id
        rows = [
            (
                backend.id,
                backend.company_id.id,
                position["vehicle"],
                position["time"].replace("T", " ").rstrip("Z"),
                position["lat"],
                position["lon"],
                position["speed_kmh"],
                message.id,
            )
            for position in positions
        ]
        inserted = execute_values(
            self.env.cr._obj,
            """
            INSERT INTO logistics_vehicle_position (backend_id, company_id, vehicle,
                position_time, latitude, longitude, speed_kmh, message_id)
            VALUES %s ON CONFLICT (backend_id, vehicle, position_time) DO NOTHING
            RETURNING id
            """,
            rows,
            page_size=1000,
            fetch=True,
        )
        return len(inserted)

    @api.model
    def _cron_sum_up_old(self):
        """Positions past their backend's retention: summed up per vehicle and
        day into tracks, then deleted."""
        for backend in self.env["logistics.backend"].search([("kind", "=", "telematics")]):
            cutoff = fields.Datetime.now() - timedelta(days=max(1, backend.position_retention_days))
            self.env["logistics.vehicle.track"]._sum_up(backend, cutoff)
