"""What one report's ratio to the floor (run_benchmark.py) would be without parts of its work.

The goal (issue 20) is one report with all its default outputs within 1.3x the floor. This
script answers how far each output keeps the report from it: it times the report as it is,
then with report.docx, report.xlsx or both left out (an empty file in their place, so the run
still publishes) and with report.pdf printed untagged (no outline, no structure for a screen
reader), each against a floor run just before it. The variants take turns, so the machine's
load hits them alike. Nothing here is a way to run a report: the parts left out are what the
office sends. Not a test: read the figures.

    .venv/bin/python benchmarks/report_parts_benchmark.py [--repeat 5] [--period H1]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from machine import python_loop_s
from run_benchmark import GOAL_RATIO, floor_once, report_once, with_cpu

import helpers.notebook.api as report_notebook
import helpers.render.chromium_pipe as chromium_pipe
from helpers.core.parameters import ReportParameters

WRITERS = {"docx": ("export_document", "report.docx"), "xlsx": ("export_workbook",
                                                               "report.xlsx")}
ORIGINAL = {name: getattr(report_notebook, writer) for name, (writer, _) in WRITERS.items()}
TAGGED = {key: chromium_pipe.PRINT_OPTIONS[key]
          for key in ("generateTaggedPDF", "generateDocumentOutline")}
VARIANTS = {  # name: (outputs left out, PDF tagged)
    "as it is": ((), True),
    "untagged PDF": ((), False),
    "no report.docx": (("docx",), True),
    "no report.xlsx": (("xlsx",), True),
    "neither": (("docx", "xlsx"), True),
    "neither, untagged PDF": (("docx", "xlsx"), False),
}


def _empty_file(name: str):
    def write(data, folder: Path = Path(".")) -> list[Path]:
        (Path(folder) / name).write_bytes(b"")
        return [Path(name)]
    return write


def use(left_out: tuple[str, ...], tagged: bool) -> None:
    """Set the writers and the print options for one variant (the export processes are
    forked, so they inherit them)."""
    for name, (writer, file_name) in WRITERS.items():
        setattr(report_notebook, writer,
                _empty_file(file_name) if name in left_out else ORIGINAL[name])
    for key, value in TAGGED.items():
        chromium_pipe.PRINT_OPTIONS[key] = value and tagged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--period", default="H1")
    args = parser.parse_args()
    params = ReportParameters(year=2018, period=args.period)
    loop_s = python_loop_s()
    runs = {name: ([], [], []) for name in VARIANTS}  # floor s, report s, busy CPU s
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        use((), True)
        floor_once(scratch, params)
        report_once(scratch / "warm", params)  # first-use costs out of the figures
        for i in range(args.repeat):
            for number, (name, variant) in enumerate(VARIANTS.items()):
                use((), True)
                floor, _ = with_cpu(floor_once, scratch, params)
                use(*variant)
                report, cpu = with_cpu(report_once, scratch / f"run{i}-{number}", params)
                runs[name][0].append(floor)
                runs[name][1].append(report)
                runs[name][2].append(cpu)
        use((), True)
    print(f"machine: a fixed Python loop took {loop_s:.3f} s (benchmarks/machine.py)")
    print(f"{args.period} report against the floor, medians of {args.repeat} (goal <= "
          f"{GOAL_RATIO}x with every output):")
    for name, (floors, reports, cpus) in runs.items():
        floor, report = statistics.median(floors), statistics.median(reports)
        cpu = "" if None in cpus else f", busy CPU {statistics.median(cpus):.2f} s"
        print(f"  {name:24s} {report:.2f} s vs floor {floor:.2f} s: {report / floor:.2f}x{cpu}")


if __name__ == "__main__":
    main()
