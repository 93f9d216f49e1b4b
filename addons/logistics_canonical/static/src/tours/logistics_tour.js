/** @odoo-module **/

import { registry } from "@web/core/registry";

// Data comes from tests/test_ui_tour.py: shipment of "Tour Customer", delivered, with a
// late in-transit report and a damage exception to resolve.
registry.category("web_tour.tours").add("logistics_shipment_timeline_tour", {
    url: "/odoo/action-logistics_canonical.action_shipment",
    steps: () => [
        {
            content: "Open the shipment from the list",
            trigger: ".o_list_view .o_data_row:contains('Tour Customer') .o_data_cell",
            run: "click",
        },
        {
            content: "The timeline shows the delivery",
            trigger: ".o_logistics_timeline .o_timeline_milestone:contains('Delivered')",
        },
        {
            content: "The in-transit report received after the delivery is in the timeline, out of order",
            trigger: ".o_logistics_timeline .o_timeline_milestone:contains('In Transit'):contains('Out of order')",
        },
        {
            content: "Open the exceptions of the shipment",
            trigger: ".o_notebook a.nav-link:contains('Exceptions')",
            run: "click",
        },
        {
            content: "The damage exception is listed",
            trigger: ".o_field_widget[name=exception_ids] .o_data_row:contains('Tour pallet 7 crushed')",
        },
        {
            content: "Go to the operations menu",
            trigger: ".o_menu_sections button:contains('Operations')",
            run: "click",
        },
        {
            content: "Open the exception workbench",
            trigger: ".dropdown-item:contains('Exception Workbench')",
            run: "click",
        },
        {
            content: "Resolve the damage exception from its card",
            trigger: ".o_kanban_record:contains('Tour pallet 7 crushed') button[name=action_resolve]",
            run: "click",
        },
        {
            content: "The exception is no longer open: its card offers no Resolve",
            trigger: ".o_kanban_renderer:not(:has(.o_kanban_record:contains('Tour pallet 7 crushed') button[name=action_resolve]))",
        },
    ],
});
