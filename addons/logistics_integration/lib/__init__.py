# Plain-Python building blocks of the integration runtime: no `odoo` import
# here, so they are fast to unit-test and easy to read on their own.
