-- A copy of a production database stops calling partners: every backend
-- becomes a sandbox, every outbound destination is archived (its messages
-- wait, nothing is sent), deliveries already scheduled are cancelled, and
-- no partner credential survives (set them again for the copy's sandboxes).
DELETE FROM logistics_secret;
UPDATE logistics_backend SET environment = 'sandbox';
UPDATE logistics_backend SET active = false WHERE adapter != 'none';
UPDATE queue_job SET state = 'cancelled'
 WHERE model_name = 'logistics.outbox' AND state IN ('pending', 'enqueued', 'wait_dependencies');
