"""Invoicing exactly once under real concurrency: two transactions on their own
PostgreSQL connections invoice the same delivered shipment at the same moment,
and one crashes after drafting its invoice. Only committed data counts here,
so the test builds and removes its own records."""

import os
import threading
import time

import psycopg2
import pytest

import odoo
from odoo import SUPERUSER_ID, api

DB = os.environ.get("LOGISTICS_TEST_DB", "logistics_test")


class Crash(Exception):
    pass


@pytest.fixture()
def registry():
    return odoo.modules.registry.Registry(DB)


@pytest.fixture()
def shipment_id(registry):
    """A delivered shipment with a valid charge and its POD, committed."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        customer = env["res.partner"].create({"name": "Concurrency Customer", "is_company": True})
        shipment = env["logistics.shipment"].create({"customer_id": customer.id})
        env["logistics.freight.charge"].create(
            {"shipment_id": shipment.id, "amount": 500.0, "source": "tms"}
        )
        code = env["logistics.milestone.code"]._by_code("POD_RECEIVED")
        env["logistics.milestone"].create(
            {
                "shipment_id": shipment.id,
                "milestone_code_id": code.id,
                "event_time": "2026-11-12 10:00:00",
                "source_event_id": "concurrency-pod",
            }
        )
        shipment._evaluate_billing()
        assert shipment.billing_state == "billable"
        ids = (shipment.id, customer.id)
    yield ids[0]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        shipment = env["logistics.shipment"].browse(ids[0])
        env["account.move"].search([("logistics_shipment_ids", "in", shipment.ids)]).unlink()
        shipment.unlink()
        env["res.partner"].browse(ids[1]).unlink()
        cr.execute("DELETE FROM queue_job WHERE identity_key = 'logistics-billing-run'")


def invoice_in_own_transaction(registry, shipment_id, results, index, before_commit=None):
    """What a billing job does; a serialization failure is retried in a new
    transaction, as queue_job retries the job."""
    for _attempt in range(2):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            shipment = env["logistics.shipment"].browse(shipment_id)
            try:
                moves = env["logistics.billing.key"]._invoice(shipment)
                results[index] = moves.ids
                if before_commit:
                    before_commit(cr)
                return
            except Crash:
                cr.rollback()
                results[index] = "crashed"
                return
            except psycopg2.errors.SerializationFailure:
                cr.rollback()


def wait_for_a_blocked_transaction(cr, timeout=10):
    """Hold this transaction open until another one waits for its lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with odoo.sql_db.db_connect(DB).cursor() as probe:
            probe.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = %s AND wait_event_type = 'Lock'",
                [DB],
            )
            if probe.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the second transaction never waited for the billing key")


def invoices_and_keys(registry, shipment_id):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        shipment = env["logistics.shipment"].browse(shipment_id)
        invoices = env["account.move"].search([("logistics_shipment_ids", "in", shipment.ids)])
        return len(invoices), len(shipment.billing_key_ids), shipment.billing_state


def run_both(registry, shipment_id, first_before_commit):
    results = [None, None]
    first = threading.Thread(
        target=invoice_in_own_transaction,
        args=(registry, shipment_id, results, 0, first_before_commit),
    )
    first.start()
    time.sleep(0.3)  # the first claims the key and drafts its invoice
    second = threading.Thread(
        target=invoice_in_own_transaction, args=(registry, shipment_id, results, 1)
    )
    second.start()
    first.join(30)
    second.join(30)
    return results


def test_two_concurrent_runs_make_one_invoice(registry, shipment_id):
    results = run_both(registry, shipment_id, wait_for_a_blocked_transaction)
    assert len(results[0]) == 1
    assert results[1] == []  # waited for the first, then (retried) found the key taken
    assert invoices_and_keys(registry, shipment_id) == (1, 1, "invoiced")


def test_a_run_that_crashes_before_commit_leaves_the_key_to_the_other(registry, shipment_id):
    def crash(cr):
        wait_for_a_blocked_transaction(cr)
        raise Crash()

    results = run_both(registry, shipment_id, crash)
    assert results[0] == "crashed"
    assert len(results[1]) == 1  # took the key the crashed run never committed
    assert invoices_and_keys(registry, shipment_id) == (1, 1, "invoiced")
