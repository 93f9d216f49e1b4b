from . import payments
