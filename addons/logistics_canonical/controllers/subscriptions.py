"""A customer's own webhooks for the milestones of its shipments."""

from odoo.http import request

from odoo.addons.logistics_integration.controllers.base import (
    ApiError,
    IntegrationController,
    api_route,
)


class LogisticsSubscriptionsApi(IntegrationController):
    @api_route("/logistics/v1/subscriptions", methods=("GET", "POST"), scope="subscriptions")
    def subscriptions(self):
        """List them (GET) or add one (POST ``{"url", "milestones"?}``; the
        signing secret is in the answer, once)."""
        return self._serve(self._list_or_subscribe)

    def _list_or_subscribe(self, call):
        caller = self._subscriber(call)
        if request.httprequest.method == "GET":
            found = request.env["logistics.backend"].sudo().search(caller._subscriptions_domain())
            return self._json(200, {"subscriptions": [s._subscription_json() for s in found]})
        self._read_body(call)
        self._check_content_type()
        document = self._parse_json(call.body)
        problems = caller._subscription_problems(document)
        if problems:
            raise ApiError(422, "validation_failed", "the subscription is not valid", problems)
        if caller._subscriptions_full():
            raise ApiError(
                409, "too_many_subscriptions", "stop a subscription before you add another"
            )
        subscription, secret = caller._subscribe(document["url"], document.get("milestones") or [])
        request.env.cr.commit()  # pylint: disable=invalid-commit
        return self._json(201, {**subscription._subscription_json(), "signing_secret": secret})

    @api_route(
        "/logistics/v1/subscriptions/<string:subscription_id>",
        methods=("DELETE",),
        scope="subscriptions",
    )
    def unsubscribe(self, subscription_id):
        def handle(call):
            caller = self._subscriber(call)
            found = request.env["logistics.backend"].sudo().browse()
            if subscription_id.isdigit() and len(subscription_id) < 10:
                found = found.search(
                    [*caller._subscriptions_domain(), ("id", "=", int(subscription_id))]
                )
            if not found:
                raise ApiError(404, "not_found", f"no subscription {subscription_id} of yours")
            found.active = False
            return request.make_response("", status=204)

        return self._serve(handle)

    def _subscriber(self, call):
        target = self._authenticate(call)
        caller = request.env["logistics.backend"].sudo().browse(target.id)
        if not caller.partner_id:
            raise ApiError(
                403, "forbidden", "this backend is no customer or partner: it cannot subscribe"
            )
        return caller
