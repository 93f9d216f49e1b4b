import re

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from odoo.addons.logistics_integration.models.groups import ADMIN_GROUP

from ..lib import amqp

# an exchange or queue name as RabbitMQ takes it
NAME_PATTERN = r"^[A-Za-z0-9_.:-]{1,255}$"


class LogisticsBackend(models.Model):
    """A backend on a message broker: a queue the hub consumes (orders and
    events in), a topic exchange it publishes to (milestones and exceptions
    out), or both, on one RabbitMQ connection."""

    _inherit = "logistics.backend"

    adapter = fields.Selection(
        selection_add=[("amqp", "Message broker (AMQP exchange)")],
        ondelete={"amqp": "set default"},
    )
    amqp_url = fields.Char(
        string="Broker URL",
        groups=ADMIN_GROUP,
        help="amqp://host:5672/vhost (amqps:// for TLS); the password goes in the field below.",
    )
    amqp_username = fields.Char(string="Broker User", groups=ADMIN_GROUP)
    amqp_password = fields.Char(
        string="Broker Password",
        compute="_compute_write_only",
        readonly=False,
        groups=ADMIN_GROUP,
    )
    amqp_consume = fields.Boolean(
        string="Consume a Queue",
        help="The hub's AMQP consumer (odoo-bin logistics-channels) takes this backend's "
        "messages from the queue below, through the same door as the API.",
    )
    amqp_queue = fields.Char(
        string="Queue",
        help="Created durable if it does not exist; an existing queue keeps its own settings.",
    )
    amqp_message_type = fields.Selection(
        [("event", "Canonical events")],
        string="Messages Are",
        default="event",
        help="What a message is when its AMQP 'type' property does not say "
        "(a type the hub knows, such as 'order', wins).",
    )
    amqp_prefetch = fields.Integer(
        string="Prefetch",
        default=50,
        help="Messages the broker hands over before they are acknowledged: the consumer "
        "stores them in one go, then acknowledges them.",
    )
    amqp_dead_letter_exchange = fields.Char(
        string="Dead-Letter Exchange",
        default="logistics.dead",
        help="Where a message the door refused goes, with the reason in its "
        "x-logistics-refusal header; the queue <queue>.dead keeps them.",
    )
    amqp_exchange = fields.Char(
        string="Exchange",
        default="logistics.events",
        help="Topic exchange the hub publishes to. Routing keys: "
        "<type>.<event>.<shipment>, e.g. milestone.DELIVERED.S00042 or "
        "exception.late_delivery.S00042.",
    )

    @api.constrains("amqp_queue", "amqp_exchange", "amqp_dead_letter_exchange")
    def _check_amqp_names(self):
        for backend in self:
            for name in ("amqp_queue", "amqp_exchange", "amqp_dead_letter_exchange"):
                value = backend[name]
                if value and not re.match(NAME_PATTERN, value):
                    raise ValidationError(
                        self.env._(
                            "%(field)s: letters, digits and . _ : - only, not %(value)r",
                            field=self._fields[name].string,
                            value=value,
                        )
                    )

    @api.constrains("amqp_consume", "amqp_queue", "adapter", "amqp_url", "amqp_prefetch")
    def _check_amqp_setup(self):
        for backend in self.sudo():
            uses_broker = backend.amqp_consume or backend.adapter == "amqp"
            if uses_broker and not (backend.amqp_url or "").startswith(("amqp://", "amqps://")):
                raise ValidationError(
                    self.env._("%s: the broker URL starts with amqp:// or amqps://", backend.name)
                )
            if backend.amqp_consume and not backend.amqp_queue:
                raise ValidationError(self.env._("%s: which queue to consume?", backend.name))
            if backend.amqp_consume and not 1 <= backend.amqp_prefetch <= 1000:
                raise ValidationError(self.env._("Prefetch is between 1 and 1000."))

    def _amqp_parameters(self):
        self.ensure_one()
        backend = self.sudo()
        return amqp.parameters(
            backend.amqp_url, backend.amqp_username, backend._secret("amqp_password")
        )

    @api.model
    @tools.ormcache("company_id", "environment")
    def _amqp_publisher_ids(self, company_id, environment):
        """Backends publishing the events of one company and environment
        (cached per worker: most events have none to look up)."""
        return tuple(
            self.sudo()
            .search(
                [
                    ("adapter", "=", "amqp"),
                    ("company_id", "=", company_id),
                    ("environment", "=", environment),
                ]
            )
            .ids
        )

    def _amqp_publishers(self, company, environment):
        return self.sudo().browse(self._amqp_publisher_ids(company.id, environment))
