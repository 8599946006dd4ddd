"""The one status vocabulary: every status a report gives is one of these codes (its word in
each language is in helpers.words.labels, its colour in helpers.render.colours), and the groups
the headline, the ranking and the lagging lists are built from."""

from __future__ import annotations

# Every status word a reader sees anywhere (tiles, tables, charts, Excel, sentences) is the label
# of one of these codes, in this order (helpers.metrics.status_rules says which rule gives which).
STATUSES = ("over", "done", "on_time", "late", "on_track", "near", "met", "lagging",
            "serious_lag", "not_started", "below", "unmet", "overdue", "not_due", "no_target",
            "no_data")

# The groups partition STATUSES.
GOOD = ("over", "done", "on_time", "on_track", "near", "met")
LATE = ("late",)
BEHIND = ("lagging", "serious_lag", "not_started", "below", "unmet", "overdue")
NOT_JUDGED = ("not_due", "no_target", "no_data")

# How each row was judged (the `basis` column).
BASES = ("time", "schedule", "stage", "small", "deadline", "level", "threshold", "none")
