# Plain-Python building blocks of the suite: no `odoo` import here, so they are
# fast to unit-test and easy to read on their own.
