"""What a table row shows, decided once for every output: the figure judged (a stage's count, a
task's, else the indicator's own), its completion, and whether a rank among districts says
anything for it."""

from __future__ import annotations

from helpers.core.values import is_missing


def on_stage(row) -> bool:
    """Whether a row is judged on a stage (the figure shown is then the stage's)."""
    return row.basis == "stage" and bool(row.stage)


def shown_actual(row) -> object:
    """累计完成 as the tables show it: the units that reached the stage when judged on one, a
    task's completions, else the indicator's own figure (a share's numerator)."""
    return row.judged_actual if on_stage(row) or row.kind == "task" else row.actual


def shown_completion(row) -> object:
    """完成率 as the tables show it: of the stage when judged on one, else the completion."""
    if on_stage(row) and not is_missing(row.target) and row.target:
        return row.judged_actual / row.target
    return row.completion


def ranks_mean_something(row) -> bool:
    """A rank among districts says something for a rate judged in points or against a level,
    not for a stage (done or not), a task or a target of one or two."""
    return row.basis in ("time", "schedule", "level", "threshold") or (
        row.basis == "deadline" and row.kind == "count" and not on_stage(row)
        and not is_missing(row.due_units) and row.due_units > 2)
