from . import api, health, metrics
