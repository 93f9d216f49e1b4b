from . import test_picking_milestones, test_picking_tour
