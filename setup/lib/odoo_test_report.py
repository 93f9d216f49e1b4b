"""Read the log of an Odoo test run and say whether the whole suite executed.

Odoo exits 0 when its test tags match no test, skips browser tours with a
warning when a prerequisite is missing, and names no module that ran none of
its tests. A green run must mean everything ran, so this report fails when:
  - Odoo's closing line is missing (the registry failed to load),
  - any test failed or errored,
  - zero tests ran,
  - a module that ships tests ran none of them,
  - any test was skipped (a missing browser, websocket-client, ...).

Usage: python odoo_test_report.py <log> <odoo exit code> <module> [<module>...]
Prints a summary and a last line "passed=N failed=N skipped=N" for the caller.
"""

import re
import sys

SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
MODULE_STATS = re.compile(r"odoo\.tests\.stats: (\w+): (\d+) tests")
SKIPPED = re.compile(r"INFO \S+ (odoo\.addons\.\w+\.tests\S*): skipped (.*)")


def analyse(log_text, exit_code, modules):
    """Return ``(counts, problems)`` for an Odoo test log."""
    problems = []
    summaries = SUMMARY.findall(log_text)
    failed = errors = run = 0
    if summaries:
        failed, errors, run = (int(n) for n in summaries[-1])
    else:
        problems.append("Odoo's test summary is missing: the registry did not load (see the log)")
    per_module = {}
    for module, count in MODULE_STATS.findall(log_text):
        per_module[module] = per_module.get(module, 0) + int(count)
    skipped = SKIPPED.findall(log_text)

    if summaries and run == 0:
        problems.append("Odoo ran 0 tests")
    for module in modules:
        if not per_module.get(module):
            problems.append(f"module {module} has tests but none of them ran")
    for test_module, reason in skipped:
        problems.append(f"skipped in {test_module}: {reason}")
    if failed or errors:
        problems.append(f"{failed} failed and {errors} errored")
    if exit_code != 0 and not problems:
        problems.append(f"odoo-bin exited with code {exit_code}")
    counts = {
        "passed": max(run - failed - errors - len(skipped), 0),
        "failed": failed + errors,
        "skipped": len(skipped),
        "per_module": per_module,
    }
    return counts, problems


def main(argv):
    log_path, exit_code, modules = argv[1], int(argv[2]), argv[3:]
    with open(log_path, encoding="utf-8", errors="replace") as handle:
        counts, problems = analyse(handle.read(), exit_code, modules)
    for module, count in sorted(counts["per_module"].items()):
        print(f"  {module}: {count} tests")
    for problem in problems:
        print(f"  FAIL: {problem}")
    failed = counts["failed"] or (1 if problems else 0)
    print(f"passed={counts['passed']} failed={failed} skipped={counts['skipped']}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
