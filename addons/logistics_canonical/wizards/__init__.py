from . import logistics_milestone_record
