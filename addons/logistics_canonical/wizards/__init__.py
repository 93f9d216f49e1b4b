from . import logistics_milestone_record, logistics_shipment_merge
