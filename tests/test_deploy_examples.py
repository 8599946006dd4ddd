"""The scheduling examples call the same `schedule` command and stay syntactically valid."""

from __future__ import annotations

import configparser

import yaml

from helpers.core.paths import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
COMMAND = "-m helpers schedule"


def test_crontab_line_calls_schedule():
    lines = [line for line in (DEPLOY / "crontab.example").read_text().splitlines()
             if line and not line.startswith("#") and "=" not in line.split()[0]]
    assert len(lines) == 1
    fields = lines[0].split(None, 5)
    assert fields[:5] == ["30", "6", "*", "*", "*"]
    assert COMMAND in fields[5]


def test_systemd_units_parse_and_call_schedule():
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.read(DEPLOY / "target-reports.service")
    assert service["Service"]["Type"] == "oneshot"
    assert COMMAND in service["Service"]["ExecStart"]
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read(DEPLOY / "target-reports.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Install"]["WantedBy"] == "timers.target"


def test_ci_workflow_runs_schedule_quarterly_and_keeps_outputs():
    workflow = yaml.safe_load((PROJECT_ROOT / ".github" / "workflows" /
                               "quarterly-reports.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads on: as True
    months = triggers["schedule"][0]["cron"].split()[3]
    assert months == "1,4,7,10"
    steps = workflow["jobs"]["reports"]["steps"]
    assert any(COMMAND in step.get("run", "") for step in steps)
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps)
