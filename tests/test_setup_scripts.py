"""The setup entry points: what a newcomer runs must work, and the test
command must never report green for a suite that did not fully run."""

import os
import subprocess

from conftest import REPO_ROOT
from odoo_requirements import pip_lines
from odoo_test_report import analyse

GREEN_LOG = """\
2024-05-01 10:00:00,000 1 INFO db odoo.tests.stats: logistics_canonical: 40 tests 9.10s 5000 queries
2024-05-01 10:00:00,000 1 INFO db odoo.tests.stats: connector_edi: 12 tests 1.10s 100 queries
2024-05-01 10:00:01,000 1 INFO db odoo.tests.result: \
0 failed, 0 error(s) of 52 tests when loading database 'db'
"""


def test_run_smoke_brings_up_web_client_and_api():
    env = dict(os.environ, LOGISTICS_DB=os.environ.get("LOGISTICS_TEST_DB", "logistics_test"))
    result = subprocess.run(
        [str(REPO_ROOT / "setup" / "run"), "--smoke"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke check passed" in result.stdout


def test_report_accepts_a_complete_green_run():
    counts, problems = analyse(GREEN_LOG, 0, ["logistics_canonical", "connector_edi"])
    assert problems == []
    assert (counts["passed"], counts["failed"], counts["skipped"]) == (52, 0, 0)


def test_report_fails_when_zero_tests_ran():
    log = "INFO db odoo.tests.result: 0 failed, 0 error(s) of 0 tests when loading database 'db'\n"
    _counts, problems = analyse(log, 0, [])
    assert "Odoo ran 0 tests" in problems


def test_report_fails_when_a_module_ran_no_tests():
    _counts, problems = analyse(
        GREEN_LOG, 0, ["logistics_canonical", "connector_edi", "connector_tms"]
    )
    assert problems == ["module connector_tms has tests but none of them ran"]


def test_report_fails_on_a_skipped_tour():
    log = GREEN_LOG + (
        "2024-05-01 10:00:00,500 1 INFO db odoo.addons.logistics_canonical.tests.test_ui_tour: "
        "skipped TestShipmentTour.test_tour : websocket-client module is not installed\n"
    )
    counts, problems = analyse(log, 0, ["logistics_canonical"])
    assert counts["skipped"] == 1
    assert any("websocket-client" in problem for problem in problems)


def test_report_fails_on_failures_and_on_a_registry_crash():
    failing = GREEN_LOG.replace("0 failed, 0 error(s) of 52", "1 failed, 2 error(s) of 52")
    counts, problems = analyse(failing, 1, ["logistics_canonical"])
    assert counts["failed"] == 3 and problems
    _counts, problems = analyse(
        "CRITICAL db odoo.service.server: Failed to initialize database\n", 255, []
    )
    assert any("summary is missing" in problem for problem in problems)


def test_odoo_requirements_use_wheels_that_build_here():
    text = (
        "cbor2==5.4.2 ; python_version < '3.12'\n"
        "cbor2==5.6.2 ; python_version >= '3.12'\n"
        "psycopg2==2.9.9 ; python_version >= '3.12' # comment\n"
        "python-ldap==3.4.4 ; sys_platform != 'win32' and python_version >= '3.12'\n"
        "pypiwin32 ; sys_platform == 'win32'\n"
        "pytz\n"
    )
    assert list(pip_lines(text)) == ["cbor2==5.6.2", "psycopg2-binary==2.9.9", "pytz"]
