# Plain-Python EDI: X12 and EDIFACT tokenizers, envelope validation, transaction
# maps and writers. No `odoo` import: fast to test, easy to read.
