"""Benchmark: EDI parsing against established Python parsers, on the same files.

Run:  .venv/bin/python tests/bench_edi.py [--runs 5]

Files: an X12 interchange of 10,000 214 status sets and an EDIFACT interchange
of 10,000 IFTSTA messages (and 1,000-set versions for memory), written to
var/bench/ by the suite's own writers. Measured, median of --runs:
  str.split floor     split on terminators and separators, nothing else
  pyx12 X12Reader     element split + envelope checks, streaming
  ours, X12           parse + envelope validation (and + 214 maps: "+ map")
  pydifact            Interchange.from_str + messages and segments
  ours, EDIFACT       parse + envelope validation (and + IFTSTA maps)
Peak memory (tracemalloc) of each parser on the 1,000 and 10,000 files shows
whether memory grows with the file.
"""

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "addons" / "connector_edi"))
from lib import edifact, x12  # noqa: E402
from lib import edifact_messages as em  # noqa: E402
from lib import x12_sets as tx  # noqa: E402

OUT = REPO / "var" / "bench"


def x12_file(sets):
    path = OUT / f"x12-214-{sets}.edi"
    if not path.exists():
        writer = x12.Writer(newline=True)
        body = []
        for n in range(sets):
            status = {
                "pro_number": f"PRO{n:08d}",
                "shipment_id": f"LOAD{n:08d}",
                "scac": "ABCD",
                "references": {"BM": f"BOL{n}"},
                "events": [
                    {
                        "status_code": "X6",
                        "reason_code": "NS",
                        "time": f"2024-05-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00-05:00",
                        "city": "CHICAGO",
                        "state": "IL",
                        "country": "US",
                        "equipment": f"TRL{n % 999}",
                    }
                ],
            }
            body.append(("214", f"{n + 1:04d}", tx.build_214(status)))
        path.write_text(
            writer.interchange(
                [("QM", "1", "SENDER", "RECEIVER", "004010", body)], "SENDER", "RECEIVER", 1
            )
        )
    return path


def edifact_file(messages):
    path = OUT / f"iftsta-{messages}.edi"
    if not path.exists():
        writer = edifact.Writer(newline=True)
        body = []
        for n in range(messages):
            report = {
                "document": f"DOC{n}",
                "consignments": [
                    {
                        "reference": f"CONS{n:08d}",
                        "references": {"CU": f"PO{n}"},
                        "events": [
                            {
                                "status_code": "21",
                                "agency": "6",
                                "time": f"2024-05-{1 + n % 28:02d}T10:00:00+01:00",
                                "location_code": "DEHAM",
                                "location_name": "Hamburg",
                            }
                        ],
                    }
                ],
            }
            body.append(("IFTSTA", f"M{n}", em.build_iftsta(report)))
        path.write_text(writer.interchange(body, "SENDER", "RECEIVER", "1"))
    return path


def split_floor_x12(path):
    text = path.read_text()
    count = 0
    for segment in text.split("~"):
        count += len(segment.split("*"))
    return count


def split_floor_edifact(path):
    text = path.read_text()
    count = 0
    for segment in text.split("'"):
        count += len(segment.split("+"))
    return count


def pyx12_reader(path):
    import pyx12.x12file

    count = 0
    with path.open() as handle:
        for _segment in pyx12.x12file.X12Reader(handle):
            count += 1
    return count


def ours_x12(path, with_maps=False):
    count = 0
    with path.open() as handle:
        for kind, item in x12.Reader(handle):
            if kind == "set":
                count += 1
                if with_maps:
                    tx.check(item)
                    tx.read_214(item)
    return count


def pydifact_parse(path):
    from pydifact.segmentcollection import Interchange

    interchange = Interchange.from_str(path.read_text())
    return sum(1 for message in interchange.get_messages() for _segment in message.segments)


def ours_edifact(path, with_maps=False):
    count = 0
    with path.open() as handle:
        for kind, item in edifact.Reader(handle):
            if kind == "message":
                count += 1
                if with_maps:
                    em.read_iftsta(item)
    return count


def timed(function, path, runs):
    seconds = []
    for _ in range(runs):
        gc.collect()
        began = time.perf_counter()
        function(path)
        seconds.append(time.perf_counter() - began)
    return statistics.median(seconds)


def peak_mib(function, path):
    gc.collect()
    tracemalloc.start()
    function(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    files = {
        "x12": (x12_file(1000), x12_file(10000)),
        "edifact": (edifact_file(1000), edifact_file(10000)),
    }
    candidates = [
        ("x12", "str.split floor", split_floor_x12),
        ("x12", "pyx12 X12Reader", pyx12_reader),
        ("x12", "ours: parse + envelopes", ours_x12),
        ("x12", "ours: + 214 maps", lambda path: ours_x12(path, with_maps=True)),
        ("edifact", "str.split floor", split_floor_edifact),
        ("edifact", "pydifact", pydifact_parse),
        ("edifact", "ours: parse + envelopes", ours_edifact),
        ("edifact", "ours: + IFTSTA maps", lambda path: ours_edifact(path, with_maps=True)),
    ]
    rows = []
    for standard, name, function in candidates:
        small, large = files[standard]
        seconds = timed(function, large, args.runs)
        size_mb = large.stat().st_size / 1e6
        rows.append(
            (
                standard,
                name,
                size_mb / seconds,
                10000 / seconds,
                peak_mib(function, small),
                peak_mib(function, large),
            )
        )
    print(
        f"\nmedian of {args.runs} runs; files of 10,000 sets/messages "
        f"(X12 {files['x12'][1].stat().st_size / 1e6:.1f} MB, EDIFACT {files['edifact'][1].stat().st_size / 1e6:.1f} MB)\n"
    )
    print(f"{'':9}{'parser':<26}{'MB/s':>8}{'sets/s':>10}{'peak MiB 1k':>13}{'peak MiB 10k':>14}")
    for standard, name, mbps, sets, peak_small, peak_large in rows:
        print(
            f"{standard:9}{name:<26}{mbps:>8.1f}{sets:>10.0f}{peak_small:>13.1f}{peak_large:>14.1f}"
        )
    by_name = {(r[0], r[1]): r[2] for r in rows}
    print(
        f"\nX12 parse + envelopes: {by_name[('x12', 'ours: parse + envelopes')] / by_name[('x12', 'pyx12 X12Reader')]:.1f}x "
        f"pyx12's reader; EDIFACT parse: {by_name[('edifact', 'ours: parse + envelopes')] / by_name[('edifact', 'pydifact')]:.1f}x pydifact"
    )


if __name__ == "__main__":
    main()
