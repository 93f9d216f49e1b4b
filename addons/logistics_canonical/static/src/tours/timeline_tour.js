/** @odoo-module **/

import { registry } from "@web/core/registry";

// Data comes from tests/test_ui_tour.py (TestTimelineTour): a shipment on its way to
// its delivery stop, arrived there after the appointment, behind its promised delivery,
// with 200 position reports, an estimate and a retracted milestone.
registry.category("web_tour.tours").add("logistics_timeline_widget_tour", {
    steps: () => [
        {
            content: "The pickup stop shows its appointment and when the truck came and left",
            trigger: ".o_timeline_stop.o_timeline_stop_done:contains('Pickup'):contains('Appointment'):contains('Left')",
        },
        {
            content: "The delivery stop is marked late: the truck arrived after the appointment",
            trigger: ".o_timeline_stop.o_timeline_stop_late:contains('Delivery'):contains('Arrived')",
        },
        {
            content: "The ETA is set against the promised delivery, and the slip is red",
            trigger: ".o_timeline_eta:contains('promised') .o_timeline_verdict.text-bg-danger:contains('late')",
        },
        {
            content: "The arrival at the delivery stop is marked late",
            trigger: ".o_timeline_milestone:contains('Arrived at Delivery') .badge:contains('Late')",
        },
        {
            content: "The estimate says it is one",
            trigger: ".o_timeline_milestone.o_timeline_expected:contains('ETA Updated'):contains('Estimated')",
        },
        {
            content: "The retracted milestone is struck through",
            trigger: ".o_timeline_milestone.o_timeline_retracted:contains('Out for Delivery'):contains('Retracted')",
        },
        {
            content: "Hovering tells the source and the code it sent",
            trigger: ".o_timeline_milestone[title*='Sent as: X6 – En route']",
        },
        {
            content: "Older milestones wait behind a button: the pickup is not listed yet",
            trigger: ".o_logistics_timeline:not(:has(.o_timeline_milestone:contains('Arrived at Pickup')))",
        },
        {
            content: "Show every milestone",
            trigger: ".o_timeline_show_all",
            run: "click",
        },
        {
            content: "The arrival at pickup, the oldest, is now listed",
            trigger: ".o_timeline_milestone:contains('Arrived at Pickup')",
        },
    ],
});
