# isort: skip_file
# Order matters: Odoo creates tables in import order, and the SQL views and
# helper tables of the runtime (last lines) read tables created above.
from . import logistics_cached_config
from . import logistics_audit_log
from . import logistics_audit_mixin
from . import logistics_four_eyes_mixin
from . import logistics_change_request
from . import logistics_secret
from . import logistics_secret_mixin
from . import logistics_api_scope
from . import logistics_backend
from . import logistics_backend_key
from . import logistics_integration_message
from . import logistics_openapi
from . import logistics_registry_mixin
from . import logistics_processor
from . import logistics_outbound_adapter
from . import logistics_inbox
from . import logistics_outbox
from . import logistics_integration_kpi
from . import queue_job
from . import res_config_settings
from . import logistics_channel_listener
