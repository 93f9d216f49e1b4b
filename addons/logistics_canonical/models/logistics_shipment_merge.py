from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

# Filled on the survivor from an absorbed shipment when the survivor has none.
FILLED_FIELDS = (
    "customer_id",
    "carrier_id",
    "customer_reference",
    "bol_number",
    "pro_number",
    "origin_id",
    "destination_id",
    "planned_pickup",
    "planned_delivery",
    "weight_kg",
    "pieces",
)
# Moved by the merge's own steps, not by the generic move of references.
MOVED_APART = {
    ("logistics.shipment", "merged_into_id"),
    ("logistics.shipment.stop", "shipment_id"),
    ("logistics.shipment.identifier", "shipment_id"),
}


class LogisticsShipment(models.Model):
    """Two shipments that turn out to be one truckload become one."""

    _inherit = "logistics.shipment"

    active = fields.Boolean(default=True, help="Archived when merged into another shipment.")
    merged_into_id = fields.Many2one(
        "logistics.shipment",
        string="Merged Into",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    def _follow_merges(self):
        """The shipment each of these became: itself, or the survivor of its merges."""
        survivors = self.browse()
        for shipment in self:
            survivor = shipment
            while survivor.merged_into_id:
                survivor = survivor.merged_into_id
            survivors |= survivor
        return survivors

    @api.model
    def _by_name(self, name, company):
        """The shipment called ``name`` in ``company``, following merges."""
        shipment = self.with_context(active_test=False).search(
            [("name", "=", name), ("company_id", "=", company.id)], limit=1
        )
        return shipment._follow_merges().with_context(active_test=True)

    def _merge_into(self, survivor):
        """Move everything of these shipments to ``survivor``: milestones, stops,
        references, identifiers, charges, exceptions, documents and chatter. The
        status and dates are derived again from the whole history; the absorbed
        shipments are archived, pointing to the survivor."""
        survivor.ensure_one()
        absorbed = self - survivor
        self._check_mergeable(survivor, absorbed)
        # marked first: the absorbed keep their last status as their history leaves
        absorbed.merged_into_id = survivor
        survivor.write(
            {
                name: absorbed.filtered(name)[:1][name]
                for name in FILLED_FIELDS
                if not survivor[name] and absorbed.filtered(name)
            }
        )
        absorbed._move_stops(survivor)
        absorbed._move_identifiers(survivor)
        absorbed._move_attached(survivor)
        absorbed._move_references(survivor)
        former = self.env.ref("logistics_canonical.identifier_kind_former_ref")
        self.env["logistics.shipment.identifier"].sudo().create(
            [
                {"shipment_id": survivor.id, "kind_id": former.id, "value": shipment.name}
                for shipment in absorbed
            ]
        )
        absorbed.active = False
        survivor._refresh_tracking()
        self._post_merge_notes(survivor, absorbed)
        self._replay_parked(survivor | absorbed)
        return survivor

    def _merge_wizard(self):
        """The merge dialog for these shipments."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge Shipments"),
            "res_model": "logistics.shipment.merge",
            "view_mode": "form",
            "target": "new",
            "context": {"default_shipment_ids": [(6, 0, self.ids)]},
        }

    def _check_mergeable(self, survivor, absorbed):
        if not absorbed:
            raise UserError(self.env._("Choose at least two shipments to merge."))
        if (absorbed | survivor).filtered("merged_into_id"):
            raise UserError(self.env._("A shipment that was merged already cannot be merged."))
        if absorbed.company_id != survivor.company_id:
            raise UserError(self.env._("Shipments of different companies are never merged."))
        if set(absorbed.mapped("environment")) != {survivor.environment}:
            raise UserError(
                self.env._("Sandbox or test shipments are never merged with production ones.")
            )

    def _move_stops(self, survivor):
        """Stops the survivor has too (same sequence) become the survivor's: their
        milestones follow; the others move over."""
        for stop in self.stop_ids:
            twin = survivor.stop_ids.filtered(lambda s, stop=stop: s.sequence == stop.sequence)
            if twin:
                milestones = self.env["logistics.milestone"].search([("stop_id", "=", stop.id)])
                milestones.stop_id = twin[:1]
                stop.unlink()
            else:
                stop.shipment_id = survivor

    def _move_identifiers(self, survivor):
        """Identifiers move; one the survivor holds already is dropped."""
        held = {_scope_key(i) for i in survivor.identifier_ids}
        for identifier in self.with_context(active_test=False).identifier_ids:
            if _scope_key(identifier) in held:
                identifier.unlink()
            else:
                identifier.shipment_id = survivor

    def _move_attached(self, survivor):
        """Documents, chatter, activities and followers."""
        on_absorbed = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        self.env["ir.attachment"].sudo().search(on_absorbed).res_id = survivor.id
        self.env["mail.activity"].sudo().search(on_absorbed).res_id = survivor.id
        self.env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "in", self.ids)]
        ).res_id = survivor.id
        survivor.message_subscribe(partner_ids=self.message_partner_ids.ids)
        self.env["logistics.external.ref"].sudo().search(on_absorbed).res_id = survivor.id

    def _move_references(self, survivor):
        """Every stored many-to-one to a shipment (milestones, exceptions, charges,
        messages, and those of modules installed later) now names the survivor."""
        for model_name, model in self.env.registry.items():
            if model._abstract or model._transient or not model._auto:
                continue
            for name, field in model._fields.items():
                if (
                    field.type == "many2one"
                    and field.comodel_name == self._name
                    and field.store
                    and not field.compute
                    and (model_name, name) not in MOVED_APART
                ):
                    records = (
                        self.env[model_name]
                        .sudo()
                        .with_context(active_test=False)
                        .search([(name, "in", self.ids)])
                    )
                    records.write({name: survivor.id})

    def _post_merge_notes(self, survivor, absorbed):
        for shipment in absorbed:
            note = self.env._("Merged into %s: its history, references and documents moved there.")
            shipment.message_post(body=Markup(note) % survivor._html_link())
        survivor.message_post(
            body=Markup(self.env._("Merged %s into this shipment."))
            % Markup(", ").join(shipment._html_link() for shipment in absorbed)
        )

    def _html_link(self):
        self.ensure_one()
        return Markup('<a href="#" data-oe-model="%s" data-oe-id="%s">%s</a>') % (
            self._name,
            self.id,
            self.name,
        )

    @api.model
    def _replay_parked(self, shipments):
        """Messages that waited on an identity conflict among these shipments run again."""
        conflicts = (
            self.env["logistics.exception"]
            .sudo()
            .search(
                [
                    ("exception_type_id.code", "=", "identity_conflict"),
                    ("state", "in", ("new", "assigned")),
                    ("candidate_shipment_ids", "in", shipments.ids),
                ]
            )
        )
        parked = conflicts.message_id.filtered(lambda m: m.state == "failed")
        if parked:
            parked._mark_replayed(self.env.user.name)


def _scope_key(identifier):
    return (
        identifier.kind_id.id,
        identifier.scope_backend_id.id,
        identifier.scope_partner_id.id,
        identifier.match_value,
    )
