from odoo import api, models


class LogisticsCachedConfig(models.AbstractModel):
    """Configuration that hot paths read through per-worker caches (ormcache):
    any change clears the caches of every worker."""

    _name = "logistics.cached.config"
    _description = "Configuration read through caches"
    # Fields the caches hold; None: all of them. Writes of other fields keep the caches.
    _cached_fields = None

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        if self._cached_fields is None or self._cached_fields.intersection(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
