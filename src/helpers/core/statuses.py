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

# The items a headline calls seriously behind: a lag of the serious size, nothing started where
# something is due, a stage overdue, a target missed at its deadline.
SERIOUS = ("serious_lag", "not_started", "unmet", "overdue")
# How serious a status is (higher: worse): the order items behind are listed in, and whether an
# indicator got better or worse between two reports.
SEVERITY = {**dict.fromkeys(GOOD, 0), "not_due": 0, "near": 1, "below": 1.5, "late": 2,
            "lagging": 2, **dict.fromkeys(SERIOUS, 3)}

# The colour families (README, "Colours"): one colour per family in every output, so a reader
# tells done from on track from behind from overdue at a glance and the word says which status
# of the family it is. They partition STATUSES.
FAMILIES = {
    "done": ("over", "done", "on_time", "met"),
    "on_track": ("on_track",),
    "near": ("near", "late"),
    "behind": ("lagging", "below"),
    "serious": ("serious_lag", "not_started"),
    "overdue": ("overdue", "unmet"),
    "not_due": ("not_due", "no_target", "no_data"),
}
FAMILY_OF = {status: family for family, members in FAMILIES.items() for status in members}

# How each row was judged (the `basis` column).
BASES = ("time", "schedule", "stage", "small", "deadline", "level", "threshold", "none")
