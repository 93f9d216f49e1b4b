from . import api, base, health, metrics
