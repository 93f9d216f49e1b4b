# isort: skip_file
from . import logistics_backend
from . import logistics_edi_partner
from . import logistics_edi_certification
from . import logistics_integration_message
from . import logistics_shipment
from . import logistics_outbox
from . import logistics_processor_edi
from . import logistics_outbound_adapter_edi
