"""Time the briefs and the quarterly pass, with their PDFs, as the user runs them, and print
the figures beside their goals (issue 20). Each command is a fresh `python -m helpers`
process, as an analyst or cron starts it. Not a test: the machines are shared and noisy, so
read the figures (medians of --repeat runs).

- 12 briefs: `briefs --by district` of the bundled H1 report; goal at most 5 s.
- 100 briefs: the same on the synthetic 100 districts x 15 indicators x 12 returns; goal at
  most 30 s.
- The quarterly pass: one `schedule --briefs district,group` pass that builds the H1 and FY
  reports and their briefs by district and by group (a raw copy of 2018 whose returns end
  with the year), against one report plus its district briefs built the same way; goal at
  most 2x.

    .venv/bin/python benchmarks/briefs_benchmark.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
from pathlib import Path

from commands import timed
from machine import python_loop_s

from helpers.core.paths import RAW_DIR
from helpers.demo.synthetic import write_synthetic

GOALS = {"briefs_12_s": 5.0, "briefs_100_s": 30.0, "pass_ratio": 2.0}



def briefs_once(raw: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    return timed("briefs", "--year", "2018", "--period", "H1", "--by", "district",
                 "--raw-dir", str(raw), "--out-dir", str(out))


def report_and_briefs_once(raw: Path, out: Path, processed: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    return (timed("run", "--year", "2018", "--period", "H1", "--raw-dir", str(raw),
                  "--out-dir", str(out), "--processed-dir", str(processed))
            + briefs_once(raw, out))


def prepare_pass(raw: Path, out: Path, processed: Path) -> None:
    """Q1 and Q3 published with their briefs beforehand, so that the pass builds the H1 and
    FY reports and their briefs only."""
    for period in ("Q1", "Q3"):
        timed("run", "--year", "2018", "--period", period, "--raw-dir", str(raw), "--out-dir",
              str(out), "--processed-dir", str(processed))
        for by in ("district", "group"):
            timed("briefs", "--year", "2018", "--period", period, "--by", by, "--raw-dir",
                  str(raw), "--out-dir", str(out))


def pass_once(raw: Path, out: Path, processed: Path) -> float:
    """One schedule pass on 2019-01-20: H1 and FY are due and not published."""
    for name in ("H1", "FY", "H1-briefs-district", "H1-briefs-group", "FY-briefs-district",
                 "FY-briefs-group"):
        shutil.rmtree(out / "2018" / name, ignore_errors=True)
    return timed("schedule", "--today", "2019-01-20", "--raw-dir", str(raw), "--out-dir",
                 str(out), "--processed-dir", str(processed), "--briefs", "district,group")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    loop_s = python_loop_s()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        raw = scratch / "raw"
        shutil.copytree(RAW_DIR, raw, ignore=shutil.ignore_patterns("2017"))  # 2018's only
        synthetic = scratch / "synthetic"
        write_synthetic(synthetic, 100)
        processed = scratch / "processed"
        twelve = [briefs_once(raw, scratch / "b12") for _ in range(args.repeat)]
        hundred = [briefs_once(synthetic, scratch / "b100") for _ in range(args.repeat)]
        prepare_pass(raw, scratch / "pass", processed)
        one, passes = [], []
        for _ in range(args.repeat):  # interleaved, so a change of the machine's load hits both
            one.append(report_and_briefs_once(raw, scratch / "one", processed))
            passes.append(pass_once(raw, scratch / "pass", processed))
    figures = {
        "repeat": args.repeat,
        "briefs_12_s": round(statistics.median(twelve), 2),
        "briefs_100_s": round(statistics.median(hundred), 2),
        "report_and_briefs_s": round(statistics.median(one), 2),
        "pass_s": round(statistics.median(passes), 2),
        "runs": {"briefs_12_s": [round(x, 2) for x in twelve],
                 "briefs_100_s": [round(x, 2) for x in hundred],
                 "report_and_briefs_s": [round(x, 2) for x in one],
                 "pass_s": [round(x, 2) for x in passes]},
        "python_loop_s": loop_s,
    }
    figures["pass_ratio"] = round(figures["pass_s"] / figures["report_and_briefs_s"], 2)
    print(json.dumps(figures, indent=2))
    print(f"machine: a fixed Python loop took {loop_s:.3f} s (benchmarks/machine.py)")
    for key, text in (("briefs_12_s", "12 district briefs with PDFs"),
                      ("briefs_100_s", "100 district briefs with PDFs (synthetic)"),
                      ("pass_ratio", "schedule pass (H1, FY, briefs by district and group) "
                                     "vs one report plus its briefs")):
        value, goal = figures[key], GOALS[key]
        unit = "x" if key.endswith("ratio") else " s"
        print(f"{text}: {value}{unit} (goal <= {goal}{unit}) "
              f"{'MET' if value <= goal else 'NOT MET'}")


if __name__ == "__main__":
    main()
