from . import logistics_tms_mapping_preview, logistics_tms_replay
