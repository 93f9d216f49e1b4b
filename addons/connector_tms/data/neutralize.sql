-- A copy of a production database stops reading TMS feeds and sends no tender
-- (webhooks that still reach it are stored, nothing is asked or offered).
UPDATE ir_cron SET active = false
 WHERE id = (SELECT res_id FROM ir_model_data
              WHERE module = 'connector_tms' AND name = 'cron_tms_pull_feed');
UPDATE logistics_backend SET tms_feed_enabled = false, tms_tender_orders = false
 WHERE kind = 'tms';
UPDATE queue_job SET state = 'cancelled'
 WHERE model_name = 'logistics.shipment' AND method_name = '_tms_fetch_pod'
   AND state IN ('pending', 'enqueued', 'wait_dependencies');
