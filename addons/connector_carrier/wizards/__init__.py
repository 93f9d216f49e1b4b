from . import logistics_carrier_mapping_preview
