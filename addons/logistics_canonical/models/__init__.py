# isort: skip_file
# Order matters: Odoo creates tables in import order, and the SQL views
# (last lines) read tables created above.
from . import res_partner
from . import logistics_team
from . import logistics_milestone_code
from . import logistics_code_scheme
from . import logistics_backend
from . import logistics_code_mapping
from . import logistics_external_ref
from . import logistics_identifier_kind
from . import logistics_shipment
from . import logistics_shipment_identifier
from . import logistics_shipment_identity
from . import logistics_shipment_merge
from . import logistics_shipment_stop
from . import logistics_milestone
from . import logistics_exception_type
from . import logistics_exception_ownership
from . import logistics_exception
from . import logistics_freight_charge
from . import logistics_integration_message
from . import logistics_notification_rule
from . import logistics_demo
from . import logistics_openapi
from . import logistics_processor_event
from . import logistics_processor_document
from . import logistics_outbound_adapter_mail
from . import logistics_outbox
from . import logistics_exception_kpi
