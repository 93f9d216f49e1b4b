from . import cli, controllers, models, wizards
