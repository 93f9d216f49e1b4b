{
    "name": "Carrier Tracking Connector",
    "summary": "Carrier tracking over REST webhooks, polling and SOAP",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["logistics_canonical", "stock_delivery"],
    "data": [],
    "installable": True,
}
