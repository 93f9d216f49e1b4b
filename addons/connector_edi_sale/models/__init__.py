from . import logistics_edi_partner, logistics_processor_edi
