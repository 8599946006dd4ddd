"""Checks a published report: verify (re-run and compare) and the auditor pack."""
