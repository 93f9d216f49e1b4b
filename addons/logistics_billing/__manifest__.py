{
    "name": "Logistics Billing",
    "summary": "Invoices shipments when delivery is proven and charges validate",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["logistics_canonical", "account"],
    "data": [],
    "installable": True,
}
