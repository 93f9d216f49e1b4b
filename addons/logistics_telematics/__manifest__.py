{
    "name": "Logistics Telematics (MQTT)",
    "summary": "Truck positions from an MQTT broker, batched through the one door; geofences "
    "around stops record arrivals and departures, the shipment shows its last position and "
    "an ETA from it; raw positions kept for a window, then aggregated per day",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["logistics_integration", "logistics_canonical"],
    "external_dependencies": {"python": ["paho-mqtt"]},
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/logistics_backend_views.xml",
        "views/logistics_shipment_views.xml",
        "views/logistics_vehicle_position_views.xml",
    ],
    "demo": ["demo/logistics_telematics_demo.xml"],
    "installable": True,
}
