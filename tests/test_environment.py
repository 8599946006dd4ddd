"""environment.yml (conda) lists the same packages as pyproject.toml, and the lock pins them."""

from __future__ import annotations

import re
import tomllib

from helpers.paths import PROJECT_ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_specs() -> dict[str, str]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    return {_name(s): s.replace(" ", "") for s in specs}


def _environment_specs() -> dict[str, str]:
    specs = {}
    text = (PROJECT_ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        match = re.match(r"^\s+- ([A-Za-z0-9_.\-]+[^#]*?)\s*(#.*)?$", line)
        if (not match or match[1] in ("pip", "pip:", "-e .") or match[1].startswith("-")
                or _name(match[1]) == "python"):
            continue
        specs[_name(match[1])] = match[1].replace(" ", "")
    return specs


def test_environment_yml_matches_pyproject():
    assert _environment_specs() == _pyproject_specs()


def test_lock_pins_every_dependency_with_hashes():
    lock = (PROJECT_ROOT / "requirements.lock").read_text()
    pinned = {m.lower() for m in re.findall(r"^([A-Za-z0-9_.\-]+)==", lock, flags=re.M)}
    pinned = {p.replace("_", "-") for p in pinned}
    missing = sorted(set(_pyproject_specs()) - pinned)
    assert missing == []
    assert "--hash=sha256:" in lock
