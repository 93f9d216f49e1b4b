"""The API contract, fuzzed: schemathesis against the test server.

Every operation of /logistics/v1/openapi.json gets its documented examples,
the coverage phase (boundary values, missing and unexpected parameters,
undocumented methods) and a bounded number of generated cases, positive and
negative, with every schemathesis check enabled: no server error, every
status, content type, header and body as documented, invalid data refused
with a 4xx, valid data accepted, authentication enforced. Bounded by
``LOGISTICS_FUZZ_EXAMPLES`` cases per operation (``tests/fuzz_api.py``-style
longer runs: raise it).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.odoo_server import OdooServer

PORT = int(os.environ.get("LOGISTICS_CONTRACT_PORT", "8199"))
EXAMPLES = int(os.environ.get("LOGISTICS_FUZZ_EXAMPLES", "25"))
ST = Path(sys.executable).with_name("st")


@pytest.fixture(scope="module")
def server():
    db = os.environ.get("LOGISTICS_TEST_DB", "logistics_test")
    with OdooServer(db, PORT, workers=2, channels="root:1") as running:
        yield running


def test_schemathesis_finds_no_contract_break(server, tmp_path):
    customer = server.call("res.partner", "create", {"name": "Fuzzing customer"})
    _backend, key = server.api_backend(
        "fuzzer", partner_id=customer, rate_limit_per_minute=0, environment="sandbox"
    )
    # subscriptions the fuzzer creates point anywhere: let them, they deliver nothing
    server.call("ir.config_parameter", "set_param", "logistics.subscriptions.allow_private", "True")
    command = [
        str(ST),
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "run",
        f"{server.url}/logistics/v1/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        "20261201",
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--no-color",
        "--header",
        f"Authorization: Bearer {key}",
        "--report",
        "junit,har",
        "--report-dir",
        str(tmp_path),
    ]
    # run in the test's own folder: schemathesis keeps its caches where it runs
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=900, check=False, cwd=tmp_path
    )
    output = result.stdout + result.stderr
    print(output[-6000:])
    assert result.returncode == 0, output[-20000:]
