from . import (
    test_audit,
    test_edi_certification,
    test_edi_contrl,
    test_edi_door,
    test_edi_flows,
    test_edi_identity,
    test_edi_leniency,
    test_edi_partner_files,
    test_edi_sftp,
    test_edifact_lib,
    test_x12_lib,
)
