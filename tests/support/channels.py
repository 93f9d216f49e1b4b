"""``odoo-bin logistics-channels`` beside a test server, and the waits and
queries the channel tests share."""

import configparser
import subprocess
import sys
import time
import uuid

import psycopg2

from .odoo_server import ODOO_SRC, VAR_DIR

TIMEOUT = 90  # seconds any wait may take before the test fails


class ChannelsProcess:
    """The channels process of ``server`` (or the script that stands in for
    it, called with the server's configuration file and database)."""

    def __init__(self, server, script=None):
        parser = configparser.ConfigParser()
        parser.read(server.conf)
        addons_path = parser["options"]["addons_path"]
        command = (
            [sys.executable, str(script), str(server.conf), server.db]
            if script
            else [
                sys.executable,
                str(ODOO_SRC / "odoo-bin"),
                f"--addons-path={addons_path}",
                "logistics-channels",
                "-c",
                str(server.conf),
                "-d",
                server.db,
                "--refresh",
                "1",
            ]
        )
        self.log = VAR_DIR / "log" / f"channels-{uuid.uuid4().hex[:6]}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def scalar(db, query, *params):
    with psycopg2.connect(dbname=db) as connection, connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def wait_for(what, check, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")
