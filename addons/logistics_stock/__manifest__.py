{
    "name": "Logistics Shipments and Deliveries",
    "summary": "Shipments and warehouse deliveries linked both ways; picking steps become "
    "milestones",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["logistics_canonical", "stock"],
    "data": [
        "views/stock_picking_views.xml",
        "views/logistics_shipment_views.xml",
    ],
    "assets": {
        "web.assets_tests": ["logistics_stock/static/src/tours/*.js"],
    },
    "installable": True,
}
