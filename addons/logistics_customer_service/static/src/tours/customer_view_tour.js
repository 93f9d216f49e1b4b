/** @odoo-module **/

import { registry } from "@web/core/registry";

// Data comes from tests/test_ui_tour.py: "Tour CS Customer" has a late shipment with
// a damage exception.
registry.category("web_tour.tours").add("logistics_customer_view_tour", {
    steps: () => [
        {
            content: "The customer needing attention is listed with its late shipment",
            trigger: ".o_list_view .o_data_row:contains('Tour CS Customer') td[name=late_shipments]:contains('1')",
            run: "click",
        },
        {
            content: "The customer's form counts its late shipments",
            trigger: ".o_form_view .oe_stat_button:contains('Late') .o_stat_value:contains('1')",
            run: "click",
        },
        {
            content: "The late shipment is one click away",
            trigger: ".o_list_view .o_data_row:contains('Tour CS Customer') .o_data_cell",
            run: "click",
        },
        {
            content: "Its timeline shows the damage",
            trigger: ".o_logistics_timeline .o_timeline_milestone.o_timeline_exception:contains('Damaged')",
        },
    ],
});
