"""Start a real Odoo server (worker processes, queue_job runner) on loopback for
end-to-end tests and benchmarks, and talk to it over HTTP and XML-RPC."""

import configparser
import os
import signal
import subprocess
import sys
import time
import uuid
import xmlrpc.client
from pathlib import Path

import psycopg2
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("LOGISTICS_VAR_DIR", REPO_ROOT / "var"))
ODOO_SRC = Path(os.environ.get("ODOO_SRC", "/opt/odoo"))


class OdooServer:
    """``with OdooServer(db, port) as server:`` runs odoo-bin until the block ends."""

    def __init__(
        self,
        db,
        port,
        workers=2,
        channels="root:2",
        job_runner=True,
        base_conf=None,
        login="admin",
        password="admin",
    ):
        self.db, self.port, self.workers, self.channels = db, port, workers, channels
        self.job_runner = job_runner
        self.base_conf = Path(base_conf or VAR_DIR / "test.conf")
        self.url = f"http://127.0.0.1:{port}"
        self.login, self.password = login, password
        self.conf = VAR_DIR / f"server-{db}-{port}.conf"
        self.log = VAR_DIR / "log" / f"server-{db}-{port}.log"
        self.process = None
        self._uid = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        parser = configparser.ConfigParser()
        parser.read(self.base_conf)
        options = parser["options"]
        options.update(
            {
                "db_name": self.db,
                "http_port": str(self.port),
                "gevent_port": str(self.port + 3),
                "workers": str(self.workers),
                "max_cron_threads": "0",
                "log_level": "info",
                "limit_time_real": "600",
                # without queue_job server-wide, jobs are stored but nothing runs them
                "server_wide_modules": "base,web,queue_job" if self.job_runner else "base,web",
            }
        )
        parser["queue_job"] = {"channels": self.channels}
        self.conf.parent.mkdir(parents=True, exist_ok=True)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.conf.open("w") as handle:
            parser.write(handle)
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(ODOO_SRC / "odoo-bin"), "-c", str(self.conf)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo exited with {self.process.returncode}, see {self.log}")
            try:
                if requests.get(f"{self.url}/web/login", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"Odoo did not answer on {self.url} within 90 s, see {self.log}")

    def stop(self):
        """Graceful stop: the master lets its workers finish their request (a
        running job included), then everything left is killed."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    # --- XML-RPC --------------------------------------------------------------

    @property
    def uid(self):
        if self._uid is None:
            common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
            self._uid = common.authenticate(self.db, self.login, self.password, {})
        return self._uid

    def proxy(self):
        return xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.proxy().execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )

    def api_backend(self, name, **vals):
        """Create a backend (its code made unique) and an API key; return ``(backend id, key)``."""
        code = f"{name}_{uuid.uuid4().hex[:8]}"
        backend_id = self.call("logistics.backend", "create", {"name": name, "code": code, **vals})
        wizard = self.call(
            "logistics.backend.key.generate", "create", {"backend_id": backend_id, "name": name}
        )
        self.call("logistics.backend.key.generate", "action_generate", [wizard])
        key = self.call("logistics.backend.key.generate", "read", [wizard], ["key"])[0]["key"]
        return backend_id, key


def write_config(db, port):
    """The benchmark's own Odoo config, written by the setup scripts' helper, so
    the benchmark runs on a fresh clone right after ./setup/install."""
    conf = VAR_DIR / "bench.conf"
    common = REPO_ROOT / "setup" / "lib" / "common.sh"
    subprocess.run(
        ["bash", "-c", f'source "{common}" && write_odoo_conf "$0" "$1" "$2"', conf, db, str(port)],
        check=True,
    )
    return conf


def ensure_database(db, conf, modules):
    """Create the benchmark database, or bring an existing one up to the code measured."""
    listing = subprocess.run(["psql", "-lqtA"], capture_output=True, text=True, check=True).stdout
    exists = any(line.split("|")[0] == db for line in listing.splitlines())
    if exists:
        print(f"updating benchmark database {db}", flush=True)
    else:
        print(f"creating benchmark database {db} (about a minute)", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(ODOO_SRC / "odoo-bin"),
            "-c",
            str(conf),
            "-d",
            db,
            "-u" if exists else "-i",
            modules,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
    )


def release_orphan_jobs(db):
    """Jobs a stopped server left enqueued or started hold their channel's slot
    until queue_job's stuck-job cron (every 5 minutes, and the benchmark's
    servers run no cron) requeues them: with no server running, requeue them."""
    connection = psycopg2.connect(dbname=db)
    with connection, connection.cursor() as cursor:
        cursor.execute(
            "UPDATE queue_job SET state = 'pending' WHERE state IN ('enqueued', 'started')"
        )
    connection.close()
