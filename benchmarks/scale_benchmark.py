"""Scale table: `validate` and `run` (HTML, Excel, Word, CSV; no PDF) on synthetic inputs of
N districts x M indicators x R returns (helpers.demo.synthetic), each command a fresh process
as an analyst would start it. Prints wall time, the peak resident memory of the largest process
(the command, its kernel or its export process) and the output sizes. Not a test: read the
figures (shared machines are noisy).

    .venv/bin/python benchmarks/scale_benchmark.py [--scales 12x15x12,300x15x12,...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import python_loop_s

from helpers.demo.synthetic import write_synthetic

DEFAULT_SCALES = "12x15x12,300x15x12,3000x15x12,100x50x52"
# issue 20's goals for a province of 3,000 districts (the PDF left out at every scale)
GOALS = {"3000x15x12": {"run_s": 30.0, "run_rss_mb": 1024, "validate_s": 5.0}}

# Runs a command and prints its wall time and the largest peak RSS among the processes it
# waited for (the command and everything it started).
_MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                      text=True)
print(json.dumps({"rc": done.returncode, "s": time.perf_counter() - started,
                  "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "err": done.stderr[-400:]}))
"""


def measure(command: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def one_scale(scale: str, scratch: Path) -> dict:
    districts, indicators, returns = (int(x) for x in scale.split("x"))
    raw, out, processed = scratch / f"raw{scale}", scratch / f"out{scale}", scratch / "proc"
    started = time.perf_counter()
    made = write_synthetic(raw, districts, indicators, returns)
    generated = time.perf_counter() - started
    helpers = [sys.executable, "-m", "helpers"]
    validate = measure([*helpers, "validate", "--year", "2018", "--raw-dir", str(raw)])
    run = measure([*helpers, "run", "--year", "2018", "--period", "H1", "--raw-dir", str(raw),
                   "--pdf", "false", "--out-dir", str(out), "--processed-dir",
                   str(processed)])
    folder = out / "2018" / "H1"

    def size_mb(name: str) -> float | None:
        path = folder / name
        return round(path.stat().st_size / 1e6, 2) if path.is_file() else None

    return {"scale": scale, "figures": made.figures, "generate_s": round(generated, 1),
            "validate_s": round(validate["s"], 1), "validate_rss_mb": round(validate["rss_mb"]),
            "run_s": round(run["s"], 1), "run_rss_mb": round(run["rss_mb"]),
            "run_ok": run["rc"] == 0, "html_mb": size_mb("report.html"),
            "xlsx_mb": size_mb("report.xlsx"), "docx_mb": size_mb("report.docx"),
            **({} if run["rc"] == 0 else {"run_error": run["err"].strip()})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default=DEFAULT_SCALES,
                        help="comma-separated NxMxR (districts x indicators x returns)")
    args = parser.parse_args()
    print(f"machine: a fixed Python loop took {python_loop_s():.3f} s (benchmarks/machine.py)")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for scale in args.scales.split(","):
            rows.append(one_scale(scale.strip(), Path(scratch)))
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    print()
    print(f"{'N x M x R':>12} {'figures':>9} {'validate':>10} {'run':>9} {'peak RSS':>9} "
          f"{'HTML':>8} {'xlsx':>8} {'docx':>8}")
    for row in rows:
        print(f"{row['scale']:>12} {row['figures']:>9,} {row['validate_s']:>8.1f} s "
              f"{row['run_s']:>7.1f} s {row['run_rss_mb']:>6} MB "
              f"{row['html_mb'] or 0:>5.1f} MB {row['xlsx_mb'] or 0:>5.1f} MB "
              f"{row['docx_mb'] or 0:>5.1f} MB" + ("" if row["run_ok"] else "  (run FAILED)")
              + ("" if row["scale"] not in GOALS else "   goals: " + ", ".join(
                  f"{key} <= {goal} {'MET' if row[key] <= goal else 'NOT MET'}"
                  for key, goal in GOALS[row["scale"]].items())))


if __name__ == "__main__":
    main()
