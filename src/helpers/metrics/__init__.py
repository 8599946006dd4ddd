"""Every figure and judgement of a report, computed once from the validated inputs:
milestones, status rules, progress, checkpoints, ranking, forward look, the report data."""
