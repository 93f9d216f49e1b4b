from odoo import api, models

from ..lib import registry


class LogisticsRegistryMixin(models.AbstractModel):
    """A family of extensions found by the keys they claim (processors by
    message kind and type, outbound adapters by backend adapter).

    The family's base model inherits this mixin and names, in
    ``_claim_attribute``, the class attribute where each member lists its
    keys (one key or a tuple of them). Two members claiming one key is an
    error when the registry loads, never resolved by name order."""

    _name = "logistics.registry.mixin"
    _description = "Extensions found by what they claim"
    _claim_attribute = None

    def _register_hook(self):
        super()._register_hook()
        if self._claim_attribute:  # the family's base checks all its members at load
            self._claim_table()

    @api.model
    def _claim_table(self):
        """``{key: model name}`` of the family's members; raises when ambiguous."""
        names = sorted(self.env.registry.descendants([self._name], "_inherit") - {self._name})
        return registry.build(
            (name, _keys(getattr(self.env.registry[name], self._claim_attribute, ())))
            for name in names
        )


def _keys(claimed):
    if not claimed:
        return ()
    return (claimed,) if isinstance(claimed, str) else tuple(claimed)
