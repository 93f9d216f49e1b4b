{
    "name": "Logistics Billing over EDI",
    "summary": "Posted shipment invoices go to customers who take EDI as X12 210 freight invoices",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["logistics_billing", "connector_edi"],
    "auto_install": True,
    "installable": True,
}
