"""environment.yml (conda) lists the same packages as pyproject.toml, and the lock pins them."""

from __future__ import annotations

import re
import tomllib

from helpers.core.paths import PROJECT_ROOT


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


def test_commands_do_not_build_the_iri_grammar_yet_validate_notebooks():
    """helpers keeps jsonschema from importing rfc3987_syntax (1.7 s of every command); a
    notebook is still validated against nbformat's schema, and a broken one still refused."""
    import subprocess
    import sys

    code = (
        "import sys, helpers, nbformat\n"
        "from helpers.core.paths import NOTEBOOKS_DIR\n"
        "nb = nbformat.read(NOTEBOOKS_DIR / 'report.ipynb', as_version=4)\n"
        "nbformat.validate(nb)\n"
        "nb.cells[0]['cell_type'] = 'no such type'\n"
        "try:\n"
        "    nbformat.validate(nb)\n"
        "    print('accepted')\n"
        "except nbformat.ValidationError:\n"
        "    print('refused')\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["refused", "None"]
