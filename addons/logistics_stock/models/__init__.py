from . import logistics_shipment, stock_move, stock_picking
