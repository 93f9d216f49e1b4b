"""The carrier status taxonomy: what any carrier's scan means, in one vocabulary.

Modelled on karrio's normalized tracking statuses and incident reasons, the
best public model of what parcel and LTL carriers report. Each carrier's own
codes map to a status (and, for incidents, a reason) in its code table; the
status, refined by the reason, names our canonical milestone.
"""

STATUSES = {
    # status: (label, canonical milestone, polling stage)
    "pending": ("Pending", "TENDERED", "pending"),
    "picked_up": ("Picked up", "PICKED_UP", "in_transit"),
    "in_transit": ("In transit", "IN_TRANSIT", "in_transit"),
    "out_for_delivery": ("Out for delivery", "OUT_FOR_DELIVERY", "out_for_delivery"),
    "delivery_failed": ("Delivery failed", "DELIVERY_ATTEMPTED", "incident"),
    "delayed": ("Delayed", "DELAYED", "incident"),
    "on_hold": ("On hold", "DELAYED", "incident"),
    "ready_for_pickup": ("Ready for pickup", "ARRIVED_DELIVERY", "out_for_delivery"),
    "delivered": ("Delivered", "DELIVERED", "delivered"),
    "returned_to_sender": ("Returned to sender", "RETURNED", "final"),
    "cancelled": ("Cancelled", "CANCELLED", "final"),
}

INCIDENT_REASONS = {
    "carrier_damaged_parcel": "Parcel damaged",
    "carrier_sorting_error": "Sorting error",
    "carrier_address_not_found": "Address not found",
    "carrier_parcel_lost": "Parcel lost",
    "carrier_not_enough_time": "Not enough time",
    "carrier_vehicle_issue": "Vehicle issue",
    "consignee_refused": "Refused by the consignee",
    "consignee_business_closed": "Business closed",
    "consignee_not_available": "Consignee not available",
    "consignee_not_home": "Consignee not home",
    "consignee_incorrect_address": "Incorrect address",
    "consignee_access_restricted": "Access restricted",
    "customs_delay": "Customs delay",
    "customs_documentation": "Customs documentation missing",
    "weather_delay": "Weather",
    "unknown": "Unknown reason",
}

# A reason that makes an incident a different milestone than its status says.
REASON_MILESTONES = {
    "carrier_damaged_parcel": "DAMAGED",
    "carrier_parcel_lost": "LOST",
    "consignee_refused": "REFUSED",
}


def milestone_for(status, reason=None):
    """The canonical milestone code of a carrier status, refined by its reason."""
    if status in ("delivery_failed", "delayed", "on_hold") and reason in REASON_MILESTONES:
        return REASON_MILESTONES[reason]
    return STATUSES[status][1]


def stage_of(status):
    """The polling stage a status puts a tracking number in."""
    return STATUSES[status][2]


def selection():
    return [(status, label) for status, (label, _code, _stage) in STATUSES.items()]


def reason_selection():
    return list(INCIDENT_REASONS.items())
