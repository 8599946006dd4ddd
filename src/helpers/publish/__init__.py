"""Runs and publishes reports and briefs: the pipeline, the publish transaction, lock,
run log, index, manifest, schedule."""
