{
    "name": "TMS Orders Billed on Proof of Delivery",
    "summary": "A shipment invoice bills the freight lines of its sale order, which then "
    "shows them invoiced",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["connector_tms", "logistics_billing"],
    "auto_install": True,
    "installable": True,
}
