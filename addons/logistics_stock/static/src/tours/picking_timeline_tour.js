/** @odoo-module **/

import { registry } from "@web/core/registry";

// Data comes from tests/test_picking_tour.py: a picked delivery of a shipment.
registry.category("web_tour.tours").add("logistics_picking_timeline_tour", {
    steps: () => [
        {
            content: "The delivery has a Shipment Timeline tab",
            trigger: ".o_notebook a.nav-link:contains('Shipment Timeline')",
            run: "click",
        },
        {
            content: "It shows the shipment's timeline, the warehouse step included",
            trigger: ".o_logistics_timeline .o_timeline_milestone:contains('Ready for Pickup')",
        },
    ],
});
