"""Time one report run against the floor measured in the same run, and print the figures.

Floor: papermill executing an empty parameterized notebook (a parameters cell only), its HTML
export, and one headless Chromium printing that page to PDF, in-process, exactly as `run` does
for the real notebook. Report: `run` in-process with its default outputs (HTML, report.pdf,
report.xlsx, report.docx, the CSV tables, manifest), as an analyst runs it. Goal: within 1.3x
the floor. Together: the mid-year and the year-end report built one after the other on one
reading of the inputs, as `schedule` builds what is due; an older goal, within 1.5x one
report, which the pass's in briefs_benchmark.py replaced. Also, without a goal: `python -m
helpers run` in a new process, as an analyst or cron starts it (its imports and first-use costs
included; the floor and the report above run in the benchmark's warm process). Not a test: the
machines are shared and noisy, so read the figures.

Also printed (Linux): the whole machine's busy CPU seconds during each floor and report run
(from /proc/stat, so other work on a shared machine counts too), and what that CPU takes at
the least spread over every core: a run that costs more core-seconds than its wall time times
the cores cannot be made faster by running its parts side by side.

    .venv/bin/python benchmarks/run_benchmark.py [--repeat 9] [--period H1] [--pdf false]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
from commands import timed
from machine import python_loop_s

from helpers.core.parameters import ReportParameters
from helpers.metrics.report_data import load_validated
from helpers.notebook.html_export import export_html
from helpers.publish.report_pipeline import run_report
from helpers.render.pdf_print import print_pdf

GOAL_RATIO = 1.3  # one report with all its default outputs against the floor (issue 20)
FRESH_RUNS = 3  # `helpers run` in new processes, shown beside the goal's in-process figures


def busy_cpu_s() -> float | None:
    """The seconds every core of the machine has spent busy since it started (None where
    /proc/stat is missing)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return None
    idle = ticks[3] + ticks[4]  # idle and iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def with_cpu(run, *args) -> tuple[float, float | None]:
    """(wall seconds `run(*args)` returns, busy CPU seconds of the machine meanwhile)."""
    before = busy_cpu_s()
    wall = run(*args)
    after = busy_cpu_s()
    return wall, None if before is None or after is None else after - before


def floor_once(workdir: Path, params: ReportParameters) -> float:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    cell = nbformat.v4.new_code_cell("year = 2018\nperiod = 'H1'", id="params")
    cell.metadata["tags"] = ["parameters"]
    notebook.cells = [cell]
    source = workdir / "empty.ipynb"
    nbformat.write(notebook, source)
    started = time.perf_counter()
    executed = papermill.execute_notebook(str(source), str(workdir / "out.ipynb"),
                                          parameters={"year": 2018, "period": "H1"},
                                          cwd=str(workdir), kernel_name="python3",
                                          progress_bar=False,
                                          extra_arguments=["--IPKernelApp.log_level=ERROR"])
    page = export_html(executed, params)
    if params.pdf:
        (workdir / "empty.html").write_text(page, encoding="utf-8")
        print_pdf(workdir / "empty.html", workdir / "empty.pdf", dt.datetime(2018, 6, 30))
    return time.perf_counter() - started


def report_once(out: Path, params: ReportParameters) -> float:
    started = time.perf_counter()
    run_report(params, out)
    return time.perf_counter() - started


def fresh_run_once(out: Path, params: ReportParameters) -> float:
    """`python -m helpers run` in a new process, as an analyst or cron starts it: its imports
    and first-use costs included (the floor and the report above run in this warm process)."""
    return timed("run", "--year", str(params.year), "--period", params.period,
                 "--pdf", "true" if params.pdf else "false", "--out-dir", str(out))


def together_once(out: Path, params: ReportParameters) -> float:
    started = time.perf_counter()
    inputs = load_validated(params)  # one reading for both, as `schedule` does
    for period in ("H1", "FY"):
        run_report(params.replace(period=period), out, result=inputs)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--period", default="H1")
    parser.add_argument("--pdf", default="true", choices=("true", "false"),
                        help="print the PDF in both (default: true, as `run` does)")
    args = parser.parse_args()
    params = ReportParameters(year=2018, period=args.period, pdf=args.pdf == "true")
    loop_s = python_loop_s()
    floors, reports, both = [], [], []
    floor_cpu, report_cpu = [], []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for i in range(args.repeat):  # interleaved, so load changes hit both alike
            wall, cpu = with_cpu(floor_once, scratch, params)
            floors.append(wall)
            floor_cpu.append(cpu)
            wall, cpu = with_cpu(report_once, scratch / f"out{i}", params)
            reports.append(wall)
            report_cpu.append(cpu)
        for i in range(args.repeat):  # apart: two reports load the machine for a while
            both.append(together_once(scratch / f"both{i}", params))
        fresh = [fresh_run_once(scratch / f"fresh{i}", params) for i in range(FRESH_RUNS)]
    floor, report = statistics.median(floors), statistics.median(reports)
    together = statistics.median(both)
    peak_mb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    figures = {
        "period": args.period, "repeat": args.repeat, "pdf": params.pdf,
        "floor_s": round(floor, 2), "report_s": round(report, 2),
        "ratio": round(report / floor, 2), "goal_ratio": GOAL_RATIO,
        "h1_and_fy_s": round(together, 2),
        "together_ratio": round(together / report, 2), "goal_together_ratio": 1.5,
        # medians are what counts; minima show the spread a shared machine adds
        "ratio_of_minima": round(min(reports) / min(floors), 2),
        "floor_runs_s": [round(x, 2) for x in floors],
        "report_runs_s": [round(x, 2) for x in reports],
        "h1_and_fy_runs_s": [round(x, 2) for x in both],
        "fresh_run_s": round(statistics.median(fresh), 2),
        "fresh_runs_s": [round(x, 2) for x in fresh],
        "peak_rss_mb": round(peak_mb, 1),
        "python_loop_s": loop_s,
    }
    cores = os.cpu_count() or 1
    if None not in floor_cpu + report_cpu:
        figures |= {
            "cores": cores,
            "floor_cpu_s": round(statistics.median(floor_cpu), 2),
            "report_cpu_s": round(statistics.median(report_cpu), 2),
            # the report's CPU spread perfectly over every core: no wall time below this
            "report_cpu_over_cores_s": round(statistics.median(report_cpu) / cores, 2),
        }
    print(json.dumps(figures, indent=2))
    print(f"machine: a fixed Python loop took {loop_s:.3f} s (benchmarks/machine.py)")
    with_pdf = "with" if params.pdf else "without"
    print(f"{args.period} report {report:.2f} s vs floor {floor:.2f} s, both {with_pdf} the PDF: "
          f"{report / floor:.2f}x (goal <= {GOAL_RATIO}x) "
          f"{'MET' if report / floor <= GOAL_RATIO else 'NOT MET'}")
    if "report_cpu_s" in figures:
        print(f"CPU (whole machine, busy): report {figures['report_cpu_s']:.2f} s, floor "
              f"{figures['floor_cpu_s']:.2f} s; the report's spread over {cores} cores takes at "
              f"least {figures['report_cpu_over_cores_s']:.2f} s")
    print(f"H1 and FY together {together:.2f} s vs one report {report:.2f} s: "
          f"{together / report:.2f}x (an older goal, <= 1.5x, which the pass's in "
          f"briefs_benchmark.py replaced: {'met' if together / report <= 1.5 else 'not met'})")
    print(f"a fresh `python -m helpers run --period {args.period}` (a new process, imports "
          f"included): {figures['fresh_run_s']:.2f} s (median of {FRESH_RUNS}; no goal)")


if __name__ == "__main__":
    main()
