{
    "name": "TMS Connector",
    "summary": "Dispatch sync with a Transportation Management System",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["logistics_canonical", "sale_management"],
    "data": [],
    "installable": True,
}
