from . import (
    account_bank_statement_line,
    account_statement_import,
    account_statement_import_camt_parser,
    logistics_backend,
    logistics_openapi,
    logistics_processor_payment,
)
