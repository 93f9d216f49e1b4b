{
    "name": "Logistics Payments",
    "summary": "Customer payments from bank statements (camt.053/054) and payment events, "
    "matched to shipment invoices by reference, then amount and partner",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    # AGPL-3 like the OCA modules it builds on (account_statement_import_camt,
    # account_reconcile_oca)
    "license": "AGPL-3",
    "depends": [
        "logistics_billing",
        "account_statement_import_camt",
        "account_reconcile_oca",
    ],
    "external_dependencies": {"python": ["jsonschema"]},
    "data": [
        "data/logistics_api_scope_data.xml",
        "data/logistics_exception_data.xml",
        "data/logistics_exception_ownership_data.xml",
        "views/logistics_backend_views.xml",
    ],
    "installable": True,
}
