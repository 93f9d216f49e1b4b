import json

from markupsafe import Markup, escape

from odoo import api, fields, models

from ..lib import taxonomy
from ..lib.mapping import Mapping, MappingError


class LogisticsCarrierMappingPreview(models.TransientModel):
    """Try a carrier's mapping on a sample answer before saving it."""

    _name = "logistics.carrier.mapping.preview"
    _description = "Carrier Mapping Preview"

    backend_id = fields.Many2one("logistics.backend", string="Carrier", required=True)
    mapping = fields.Text(help="The mapping to try; the carrier's own when opened.")
    source = fields.Selection(
        [("poll", "A poll answer"), ("webhook", "A webhook body")], default="poll", required=True
    )
    sample = fields.Text(string="Sample Answer", help="Paste a JSON answer of the carrier.")
    result = fields.Html(compute="_compute_result", sanitize=False)

    @api.depends("mapping", "source", "sample")
    def _compute_result(self):
        for preview in self:
            preview.result = preview._render()

    def _render(self):
        if not self.sample:
            return Markup("<p class='text-muted'>%s</p>") % self.env._("Paste a sample answer.")
        try:
            mapping = Mapping.from_json(self.mapping)
            body = json.loads(self.sample)
        except (MappingError, ValueError) as error:
            return Markup("<p class='text-danger'>%s</p>") % str(error)
        documents = mapping.documents(body, self.source)
        if not documents:
            where = mapping.spec[f"{self.source}_items"]
            return Markup("<p class='text-danger'>%s</p>") % self.env._(
                "No tracking document found at %s.", where
            )
        codes = {event.code for doc in documents for event in mapping.parse(doc).events}
        meanings = self.env["logistics.carrier.code"]._meanings(self.backend_id, codes)
        return Markup("").join(self._render_document(mapping.parse(d), meanings) for d in documents)

    def _render_document(self, reading, meanings):
        _ = self.env._
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                event.time.isoformat(),
                event.code,
                event.text,
                ", ".join(filter(None, (event.location, event.city, event.country))),
                taxonomy.milestone_for(*meanings[event.code])
                if event.code in meanings
                else Markup("<span class='text-danger'>%s</span>") % _("not in the code table"),
            )
            for event in reading.events
        )
        facts = [
            (_("Tracking number"), reading.number or _("none found")),
            (_("Error"), reading.error),
            (_("Ship date"), reading.ship_date and reading.ship_date.isoformat()),
            (_("ETA"), reading.eta and reading.eta.isoformat()),
            (_("POD"), reading.pod_url),
            (_("Signed by"), reading.pod_signed_by),
            (
                _("Charges"),
                "; ".join(
                    f"{c.stage} {c.charge_type or '?'} {c.amount:.2f} {c.currency}"
                    for c in reading.charges
                ),
            ),
            (_("Deviations"), "; ".join(reading.deviations)),
        ]
        facts_html = Markup("").join(
            Markup("<dt>%s</dt><dd>%s</dd>") % (label, value) for label, value in facts if value
        )
        header = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            _("Time"),
            _("Code"),
            _("Carrier's text"),
            _("Place"),
            _("Milestone"),
        )
        return Markup(
            "<dl class='row'>%s</dl><table class='table table-sm'><thead>%s</thead>"
            "<tbody>%s</tbody></table>"
        ) % (facts_html, header, rows or escape(""))
