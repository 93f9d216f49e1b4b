from . import test_picking_milestones
