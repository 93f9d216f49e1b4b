{
    "name": "EDI Connector (X12, EDIFACT)",
    "summary": "X12 204/214/210/990/997 and EDIFACT IFTMIN/IFTSTA",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["logistics_canonical"],
    "data": [],
    "installable": True,
}
