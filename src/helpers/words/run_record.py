"""The run record a report prints (its appendix and About sheet): code version, Python, lock hash
and the declared packages, in the report's language (the manifest holds the same and more)."""

from __future__ import annotations

import platform

from helpers.core.environment import git_state, lock_hash, report_packages
from helpers.words.labels import label


def run_facts(lang: str) -> list[tuple[str, str]]:
    """The environment facts the report shows in its appendix and About sheet (the manifest
    holds the same and more): code version, Python, lock hash, the declared packages' versions."""
    git = git_state()
    dirty = {True: label("run.yes", lang), False: label("run.no", lang)}.get(
        git["dirty"], label("run.unknown", lang))
    packages = ", ".join(f"{name} {version}" for name, version in report_packages().items())
    return [
        (label("run.commit", lang), git["commit"] or label("run.unknown", lang)),
        (label("run.dirty", lang), dirty),
        (label("run.python", lang), f"{platform.python_implementation()} "
                                    f"{platform.python_version()}"),
        (label("run.lock", lang), lock_hash() or label("run.unknown", lang)),
        (label("run.packages", lang), packages),
    ]
