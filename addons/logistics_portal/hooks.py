from psycopg2.extras import execute_values

from .models.logistics_shipment import new_tracking_token


def post_init_hook(env):
    """Shipments that existed before the portal get their tracking token."""
    env.cr.execute("SELECT id FROM logistics_shipment WHERE tracking_token IS NULL")
    rows = [(shipment_id, new_tracking_token()) for (shipment_id,) in env.cr.fetchall()]
    execute_values(
        env.cr._obj,
        "UPDATE logistics_shipment AS s SET tracking_token = data.token "
        "FROM (VALUES %s) AS data(id, token) WHERE s.id = data.id",
        rows,
        page_size=1000,
    )
