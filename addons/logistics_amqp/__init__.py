from . import cli, controllers, models
