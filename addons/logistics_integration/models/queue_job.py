from datetime import timedelta

from odoo import fields, models

# Jobs of the runtime that hold a lock while they run, by (model, method).
LOCKED_RUNS = {("logistics.inbox", "_drain"), ("logistics.outbox", "_deliver")}
GRACE_MINUTES = 2


class QueueJob(models.Model):
    _inherit = "queue.job"

    def _get_stuck_jobs_to_requeue(self, enqueued_delta, started_delta):
        """queue_job's stuck-job cron, plus our drains and deliveries left
        'started' by a worker that died: queue_job cannot tell them from a
        long run, but each of ours holds its lane's lock while it runs, so a
        free lock proves it is dead. Running one again is idempotent."""
        stuck = super()._get_stuck_jobs_to_requeue(enqueued_delta, started_delta)
        limit = fields.Datetime.now() - timedelta(minutes=GRACE_MINUTES)
        started = self.search(
            [
                ("state", "=", "started"),
                ("date_started", "<", limit),
                ("model_name", "in", [model for model, _method in LOCKED_RUNS]),
            ]
        )
        dead = started.filtered(
            lambda job: (job.model_name, job.method_name) in LOCKED_RUNS
            and not self.env[job.model_name]._is_running(*job.args)
        )
        return stuck | dead
