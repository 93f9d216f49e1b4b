-- A copy of a production database stops polling carriers (webhooks that still
-- reach it are stored, nothing is asked).
UPDATE ir_cron SET active = false
 WHERE id = (SELECT res_id FROM ir_model_data
              WHERE module = 'connector_carrier' AND name = 'cron_carrier_dispatch_polls');
UPDATE queue_job SET state = 'cancelled'
 WHERE model_name = 'logistics.carrier.tracking' AND state IN ('pending', 'enqueued', 'wait_dependencies');
