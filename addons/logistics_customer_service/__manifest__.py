{
    "name": "Logistics Customer Service",
    "summary": "Claims (damage, shortage, loss, delay) filed with the carrier and settled through "
    "Odoo's accounting, return shipments, and one view per customer",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["logistics_billing", "logistics_stock"],
    "data": [
        "security/ir.model.access.csv",
        "security/logistics_customer_service_rules.xml",
        "data/ir_sequence_data.xml",
        "data/product_data.xml",
        "views/logistics_claim_views.xml",
        "views/logistics_customer_overview_views.xml",
        "views/logistics_shipment_views.xml",
        "views/logistics_exception_views.xml",
        "views/res_partner_views.xml",
        "views/logistics_customer_service_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["logistics_customer_service/static/src/tours/*.js"],
    },
    "installable": True,
}
