"""Shared setup of the API and pipeline tests: a backend with an API key,
requests over real HTTP, and real queue_job execution."""

import json

from odoo import fields
from odoo.tests import HttpCase

from odoo.addons.queue_job.job import Job


class ApiCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["logistics.backend"].create(
            {
                "name": "Test API client",
                "code": "api_test",
                "environment": "production",
                "max_attempts": 3,
            }
        )
        _record, cls.key = cls.env["logistics.backend.key"]._generate(cls.backend, "test")

    def post(self, event, path="/logistics/v1/events", key=None, headers=None, raw=None):
        body = raw if raw is not None else json.dumps(event).encode()
        all_headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {key or self.key}",
            **(headers or {}),
        }
        return self.url_open(path, data=body, headers=all_headers)

    def run_jobs(self, rounds=10):
        """Run pending jobs like the job runner does, until none is left (bounded)."""
        done = 0
        for _round in range(rounds):
            jobs = self.env["queue.job"].search([("state", "=", "pending")])
            due = jobs.filtered(lambda j: not j.eta or j.eta <= fields.Datetime.now())
            if not due:
                return done
            for record in due:
                job = Job.load(self.env, record.uuid)
                job.set_started()
                job.store()  # as the runner does: a running job is no longer pending
                job.perform()
                job.set_done()
                job.store()
                done += 1
        return done

    def message(self, response):
        return self.env["logistics.integration.message"].browse(response.json()["message_id"])

    @staticmethod
    def event(ref="LOAD-1", code="IN_TRANSIT", when="2024-05-01T10:00:00+02:00", **extra):
        return {"shipment_ref": ref, "code": code, "event_time": when, **extra}
