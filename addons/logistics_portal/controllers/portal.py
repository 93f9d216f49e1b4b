import pytz

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import format_date, format_time

from odoo.addons.logistics_canonical.models.logistics_shipment import FINAL_STATUSES
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class ShipmentPortal(CustomerPortal):
    """``/my/shipments``: a customer's shipments, each with its timeline, its
    proofs of delivery and its invoices. What is not the user's is a 404, so a
    guessed id tells nothing."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "shipment_count" in counters:
            Shipment = request.env["logistics.shipment"]
            values["shipment_count"] = (
                Shipment.search_count([], limit=1) if Shipment.has_access("read") else 0
            )
        return values

    def _shipment_filters(self):
        return {
            "open": {
                "label": request.env._("In progress"),
                "domain": [("status", "not in", FINAL_STATUSES)],
            },
            "late": {"label": request.env._("Late"), "domain": [("is_late", "=", True)]},
            "done": {
                "label": request.env._("Finished"),
                "domain": [("status", "in", FINAL_STATUSES)],
            },
            "all": {"label": request.env._("All"), "domain": []},
        }

    def _shipment_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "id desc"},
            "delivery": {
                "label": request.env._("Planned delivery"),
                "order": "planned_delivery asc, id desc",
            },
        }

    @http.route(
        ["/my/shipments", "/my/shipments/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_shipments(self, page=1, filterby="open", sortby="date", search="", **kw):
        Shipment = request.env["logistics.shipment"]
        filters, sortings = self._shipment_filters(), self._shipment_sortings()
        filterby = filterby if filterby in filters else "open"
        sortby = sortby if sortby in sortings else "date"
        domain = list(filters[filterby]["domain"])
        if search:
            domain += [
                "|",
                "|",
                "|",
                ("name", "ilike", search),
                ("customer_reference", "ilike", search),
                ("bol_number", "ilike", search),
                ("pro_number", "ilike", search),
            ]
        pager = portal_pager(
            url="/my/shipments",
            url_args={"filterby": filterby, "sortby": sortby, "search": search},
            total=Shipment.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        shipments = Shipment.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "shipments",
                "shipments": shipments.sudo(),
                "pager": pager,
                "default_url": "/my/shipments",
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "search": search,
                "search_in": "all",
                "searchbar_inputs": {"all": {"input": "all", "label": request.env._("Reference")}},
                "format_moment": self._format_moment,
            }
        )
        request.session["my_shipments_history"] = shipments.ids[:100]
        return request.render("logistics_portal.portal_my_shipments", values)

    @http.route(["/my/shipments/<int:shipment_id>"], type="http", auth="public", website=True)
    def portal_my_shipment(self, shipment_id, access_token=None, **kw):
        shipment = self._shipment_or_none(shipment_id, access_token)
        if shipment is None:
            raise request.not_found()
        values = self._get_page_view_values(
            shipment,
            access_token,
            {
                "page_name": "shipment",
                "shipment": shipment,
                "timeline": shipment._timeline(),
                "documents": shipment._pod_documents(),
                "invoices": shipment._portal_invoices(),
                "format_moment": self._format_moment,
                "format_slip": self._format_slip,
            },
            "my_shipments_history",
            False,
        )
        return request.render("logistics_portal.portal_my_shipment", values)

    @http.route(
        ["/my/shipments/<int:shipment_id>/documents/<int:attachment_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_shipment_document(self, shipment_id, attachment_id, access_token=None, **kw):
        shipment = self._shipment_or_none(shipment_id, access_token)
        document = shipment and shipment._pod_documents().filtered(
            lambda attachment: attachment.id == attachment_id
        )
        if not document:
            raise request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(document)
        return stream.get_response(as_attachment=True)

    def _shipment_or_none(self, shipment_id, access_token):
        """The shipment (sudo) when the user may see it, else None."""
        try:
            return self._document_check_access("logistics.shipment", shipment_id, access_token)
        except (AccessError, MissingError):
            return None

    @staticmethod
    def _format_slip(minutes):
        """How late, as people say it: "45 min late", "2 h 15 min late", "1 d 3 h late"."""
        days, rest = divmod(int(minutes), 1440)
        hours, mins = divmod(rest, 60)
        parts = [f"{days} d" if days else "", f"{hours} h" if hours else ""]
        parts.append(f"{mins} min" if mins and not days else "")
        return request.env._("%s late", " ".join(part for part in parts if part) or "0 min")

    @staticmethod
    def _format_moment(moment):
        """A UTC time (ISO text or datetime) in the reader's time zone, to the minute."""
        if not moment:
            return ""
        utc = (
            fields.Datetime.to_datetime(moment.rstrip("Z").replace("T", " "))
            if isinstance(moment, str)
            else moment
        )
        env = request.env
        zone = pytz.timezone(env.context.get("tz") or env.user.tz or "UTC")
        local = pytz.utc.localize(utc).astimezone(zone)
        return f"{format_date(env, local.date())} {format_time(env, local.time(), time_format='short')}"
