from odoo import fields, models

from ..lib import rating


class LogisticsFuelTable(models.Model):
    """Fuel surcharge bands, indexed to a published fuel price: the band of the
    price in force at pickup gives a percent of linehaul or an amount per km."""

    _name = "logistics.fuel.table"
    _inherit = ["logistics.audit.mixin"]
    _description = "Fuel Surcharge Table"
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    index_name = fields.Char(
        string="Fuel Index",
        required=True,
        default="diesel",
        help="The published price this table follows; fuel prices name it too.",
    )
    band_ids = fields.One2many("logistics.fuel.table.band", "table_id", string="Bands", copy=True)

    def _surcharge(self, day, linehaul, distance_km):
        """(fuel price used, surcharge) on ``day``; (None, 0) without a price."""
        self.ensure_one()
        price = self.env["logistics.fuel.price"]._in_force(self.index_name, day)
        if not price:
            return None, 0.0
        bands = [
            rating.FuelBand(band.price_from, band.price_to, band.percent, band.per_km)
            for band in self.band_ids
        ]
        return price, rating.fuel_surcharge(bands, price.price, linehaul, distance_km)


class LogisticsFuelTableBand(models.Model):
    _name = "logistics.fuel.table.band"
    _inherit = ["logistics.audit.mixin"]
    _description = "Fuel Surcharge Band"
    _order = "table_id, price_from"

    table_id = fields.Many2one(
        "logistics.fuel.table", required=True, ondelete="cascade", index=True
    )
    price_from = fields.Float(required=True, digits=(16, 3), help="Fuel price from (inclusive).")
    price_to = fields.Float(digits=(16, 3), help="Up to (exclusive); 0 for no upper end.")
    percent = fields.Float(string="% of Linehaul", digits=(16, 2))
    per_km = fields.Float(string="Amount per km", digits=(16, 4))


class LogisticsFuelPrice(models.Model):
    """The weekly fuel price, in force from its effective day until the next one."""

    _name = "logistics.fuel.price"
    _description = "Fuel Price"
    _order = "index_name, effective_date desc"
    _rec_name = "effective_date"

    index_name = fields.Char(string="Fuel Index", required=True, default="diesel", index=True)
    effective_date = fields.Date(required=True, index=True)
    price = fields.Float(required=True, digits=(16, 3))

    _sql_constraints = [
        (
            "day_unique",
            "UNIQUE (index_name, effective_date)",
            "One price per fuel index and effective day.",
        )
    ]

    def _in_force(self, index_name, day):
        return self.search(
            [("index_name", "=", index_name), ("effective_date", "<=", day)],
            order="effective_date desc",
            limit=1,
        )
