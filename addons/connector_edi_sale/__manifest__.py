{
    "name": "EDI Tenders as Sale Orders",
    "summary": "A trading partner's load tender (X12 204, EDIFACT IFTMIN) creates, changes "
    "or cancels a confirmed sale order for the transport, tendered on to the TMS",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["connector_edi", "connector_tms"],
    "data": ["views/logistics_edi_partner_views.xml"],
    "demo": ["demo/logistics_edi_partner_demo.xml"],
    "auto_install": True,
    "installable": True,
}
