from . import test_tracking
from . import test_timeutil
from . import test_shipment_status
from . import test_exception
from . import test_code_mapping
from . import test_access
from . import test_ui_tour
