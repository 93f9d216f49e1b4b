from odoo import api, fields, models
from odoo.tools.sql import create_unique_index


class LogisticsVehicleTrack(models.Model):
    """A vehicle's day, summed up from its raw positions once they expire."""

    _name = "logistics.vehicle.track"
    _description = "Vehicle Day Track"
    _order = "day desc, vehicle"

    backend_id = fields.Many2one("logistics.backend", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True)
    vehicle = fields.Char(required=True, index=True)
    day = fields.Date(required=True)
    positions = fields.Integer()
    first_time = fields.Datetime(string="First Position")
    last_time = fields.Datetime(string="Last Position")
    max_speed_kmh = fields.Float(string="Top Speed (km/h)", digits=(6, 1))
    avg_speed_kmh = fields.Float(string="Average Speed (km/h)", digits=(6, 1))

    def init(self):
        create_unique_index(
            self.env.cr,
            "logistics_vehicle_track_unique",
            self._table,
            ["backend_id", "vehicle", "day"],
        )

    @api.model
    def _sum_up(self, backend, cutoff):
        """Fold the positions of ``backend`` taken before ``cutoff`` into day
        tracks (adding to a day already summed up), then delete them."""
        self.env.cr.execute(
            """
            INSERT INTO logistics_vehicle_track AS t (backend_id, company_id, vehicle, day,
                positions, first_time, last_time, max_speed_kmh, avg_speed_kmh,
                create_uid, write_uid, create_date, write_date)
            SELECT backend_id, company_id, vehicle, position_time::date, count(*),
                   min(position_time), max(position_time), max(speed_kmh), avg(speed_kmh),
                   %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM logistics_vehicle_position
             WHERE backend_id = %(backend)s AND position_time < %(cutoff)s
             GROUP BY backend_id, company_id, vehicle, position_time::date
            ON CONFLICT (backend_id, vehicle, day) DO UPDATE SET
                positions = t.positions + EXCLUDED.positions,
                first_time = LEAST(t.first_time, EXCLUDED.first_time),
                last_time = GREATEST(t.last_time, EXCLUDED.last_time),
                max_speed_kmh = GREATEST(t.max_speed_kmh, EXCLUDED.max_speed_kmh),
                avg_speed_kmh = (COALESCE(t.avg_speed_kmh, 0) * t.positions
                    + COALESCE(EXCLUDED.avg_speed_kmh, 0) * EXCLUDED.positions)
                    / (t.positions + EXCLUDED.positions),
                write_date = EXCLUDED.write_date
            """,
            {"uid": self.env.uid, "backend": backend.id, "cutoff": cutoff},
        )
        self.env.cr.execute(
            "DELETE FROM logistics_vehicle_position WHERE backend_id = %s AND position_time < %s",
            [backend.id, cutoff],
        )
        self.env.invalidate_all()
