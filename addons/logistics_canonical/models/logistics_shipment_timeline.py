from odoo import api, fields, models

from ..lib.timeutil import format_local


class LogisticsShipment(models.Model):
    """What the timeline shows, as plain data: the shipment form's widget and
    the customers' tracking pages read the same answer."""

    _inherit = "logistics.shipment"

    def get_timeline(self):
        """Stops with their plan and actuals, milestones newest first with
        their marks, and the ETA against the promised delivery. Times are UTC
        ISO strings; each milestone also carries its time where it happened."""
        self.ensure_one()
        self.check_access("read")
        return self.sudo()._timeline()

    def _timeline(self):
        self.ensure_one()
        status = dict(self._fields["status"]._description_selection(self.env))
        promised = self.planned_delivery
        expected = self.actual_delivery or self.eta
        return {
            "name": self.name,
            "status": self.status,
            "status_label": status.get(self.status, ""),
            "delivered": bool(self.actual_delivery),
            "eta": _iso(expected),
            "promised": _iso(promised),
            "slip_minutes": (
                round((expected - promised).total_seconds() / 60) if expected and promised else None
            ),
            "stops": [self._timeline_stop(stop) for stop in self.stop_ids],
            "milestones": [
                self._timeline_milestone(milestone)
                for milestone in self.milestone_ids.sorted(
                    lambda m: (m.event_time, m.id), reverse=True
                )
            ],
        }

    @api.model
    def _timeline_stop(self, stop):
        kinds = dict(stop._fields["stop_type"]._description_selection(self.env))
        return {
            "id": stop.id,
            "kind": stop.stop_type,
            "kind_label": kinds.get(stop.stop_type, ""),
            "place": stop.partner_id.name or stop.city or stop.location_code or "",
            "city": stop.city or "",
            "window_start": _iso(stop.window_start),
            "window_end": _iso(stop.window_end),
            "arrival": _iso(stop.actual_arrival),
            "departure": _iso(stop.actual_departure),
            "state": stop.state,
            "late": stop.is_late,
        }

    def _timeline_milestone(self, milestone):
        classifiers = dict(milestone._fields["classifier"]._description_selection(self.env))
        return {
            "id": milestone.id,
            "time": _iso(milestone.event_time),
            "time_local": format_local(milestone.event_time, milestone.event_utc_offset),
            "code": milestone.code,
            "label": milestone.milestone_code_id.name,
            "icon": milestone.icon or "fa-circle",
            "category": milestone.category,
            "classifier": milestone.classifier,
            "classifier_label": classifiers.get(milestone.classifier, ""),
            "stop": milestone.stop_id.display_name or "",
            "location": milestone.location_name or milestone.city or "",
            "reason": milestone.reason_text or "",
            "source": milestone.backend_id.name or self.env._("Odoo"),
            "raw_code": milestone.source_code or "",
            "raw_text": milestone.source_text or "",
            "received": _iso(milestone.received_time),
            "behind_plan": self._behind_plan(milestone),
            "out_of_order": milestone.is_late,
            "duplicate": milestone.is_duplicate,
            "retracted": milestone.is_retracted,
        }

    def _behind_plan(self, milestone):
        """An actual arrival after its stop's appointment, or a delivery after
        the promised time."""
        if milestone.classifier != "actual" or milestone.is_retracted:
            return False
        code = milestone.milestone_code_id
        if code.stop_event == "arrival" and milestone.stop_id.window_end:
            return milestone.event_time > milestone.stop_id.window_end
        if code.shipment_status == "delivered" and self.planned_delivery:
            return milestone.event_time > self.planned_delivery
        return False


def _iso(moment):
    return fields.Datetime.to_string(moment).replace(" ", "T") + "Z" if moment else False
