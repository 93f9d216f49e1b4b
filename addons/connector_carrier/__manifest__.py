{
    "name": "Carrier Tracking Connector",
    "summary": "Carrier tracking over REST webhooks, scheduled polling and SOAP, with carrier status code tables, freight cost updates and links to delivery carriers and pickings.",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["logistics_canonical", "stock_delivery"],
    "data": [],
    "installable": True,
}
