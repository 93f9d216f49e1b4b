{
    "name": "Logistics Message Broker (AMQP)",
    "summary": "Orders and events in from RabbitMQ queues through the one door (acknowledged "
    "once stored, poison messages dead-lettered with the reason); milestones and exceptions "
    "out to a topic exchange with publisher confirms",
    "version": "18.0.1.0.0",
    "category": "Inventory/Logistics",
    "author": "Logistics Integration Suite contributors",
    "license": "LGPL-3",
    "depends": ["logistics_integration", "logistics_canonical"],
    "external_dependencies": {"python": ["pika"]},
    "data": ["views/logistics_backend_views.xml"],
    "demo": ["demo/logistics_amqp_demo.xml"],
    "installable": True,
}
