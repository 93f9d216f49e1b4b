from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCustomerViewTour(HttpCase):
    def test_from_the_customer_view_to_a_late_shipment_s_timeline(self):
        agent = new_test_user(
            self.env,
            login="tour_cs_agent",
            groups="logistics_integration.group_logistics_user,base.group_partner_manager",
        )
        customer = self.env["res.partner"].create({"name": "Tour CS Customer", "is_company": True})
        shipment = self.env["logistics.shipment"].create(
            {
                "customer_id": customer.id,
                "customer_reference": "TOUR-CS-1",
                "planned_delivery": fields.Datetime.now() - timedelta(hours=3),
            }
        )
        damaged = self.env["logistics.milestone.code"].search([("code", "=", "DAMAGED")])
        self.env["logistics.milestone"].create(
            {
                "shipment_id": shipment.id,
                "milestone_code_id": damaged.id,
                "event_time": fields.Datetime.now() - timedelta(hours=4),
                "reason_text": "Forklift hit pallet 4",
            }
        )
        self.start_tour(
            "/odoo/action-logistics_customer_service.action_customer_overview",
            "logistics_customer_view_tour",
            login=agent.login,
        )
