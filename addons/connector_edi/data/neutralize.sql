-- A copy of a production database stops picking up partners' files.
UPDATE ir_cron SET active = false
 WHERE id = (SELECT res_id FROM ir_model_data WHERE module = 'connector_edi' AND name = 'cron_edi_poll');
