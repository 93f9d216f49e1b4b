"""Print the Python requirements of an Odoo 18 source tree, ready for pip.

Odoo's pins for Python < 3.12 include sdists that no longer build with current
setuptools (cbor2 5.4.2, ...). Its pins for Python >= 3.12 all ship wheels that
work on 3.11 too, so markers are evaluated as if the interpreter were 3.12.
psycopg2 becomes psycopg2-binary (no compiler or libpq headers needed) and
python-ldap is left out: the suite does not use LDAP.

Usage: python odoo_requirements.py <odoo requirements.txt>
"""

import sys

from pip._vendor.packaging.requirements import Requirement

SKIPPED = {"python-ldap"}
RENAMED = {"psycopg2": "psycopg2-binary"}
MARKER_ENV = {"python_version": "3.12", "python_full_version": "3.12.0"}


def pip_lines(text):
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        if req.marker and not req.marker.evaluate(MARKER_ENV):
            continue
        if req.name in SKIPPED:
            continue
        name = RENAMED.get(req.name, req.name)
        yield f"{name}{req.specifier}"


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        print("\n".join(pip_lines(handle.read())))
