{
    "name": "Logistics Customer Portal",
    "summary": "Customers track their own shipments in the portal (timeline, POD, invoices) "
    "and anyone with a shipment's tracking link follows it without a login",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["portal", "logistics_canonical", "logistics_billing"],
    "data": [
        "security/ir.model.access.csv",
        "security/logistics_portal_security.xml",
        "data/mail_template_data.xml",
        "data/logistics_milestone_code_data.xml",
        "views/logistics_portal_timeline.xml",
        "views/logistics_portal_templates.xml",
        "views/logistics_tracking_templates.xml",
        "views/logistics_portal_notifications.xml",
        "views/logistics_milestone_code_views.xml",
        "views/logistics_shipment_views.xml",
    ],
    "demo": ["demo/logistics_portal_demo.xml"],
    "assets": {
        "web.assets_frontend": ["logistics_portal/static/src/scss/portal.scss"],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
