"""helpers.core.environment reads the installed packages as importlib.metadata does (its
answers are the second route), without its cost."""

from __future__ import annotations

import importlib.metadata as metadata
import sys

from helpers.core import environment


def test_installed_versions_and_providers_are_importlib_metadatas():
    versions, providers = environment._installed()
    assert ({module: sorted(names) for module, names in providers.items()}
            == {module: sorted(names)
                for module, names in metadata.packages_distributions().items()})
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        assert versions[environment._normalised(name)] == metadata.version(name), name


def test_loaded_and_declared_packages_are_importlib_metadatas():
    providers = metadata.packages_distributions()
    loaded = {name for module in list(sys.modules)
              for name in providers.get(module.split(".", 1)[0], [])}
    assert environment.loaded_packages() == {
        name: metadata.version(name) for name in sorted(loaded, key=str.lower)}
    declared = environment.report_packages()
    assert "pandas" in declared and "python-docx" in declared
    assert declared == {name: metadata.version(name) for name in declared}


def test_top_level_modules_of_a_record_as_importlib_infers_them(tmp_path):
    """RECORD lines of every shape: nested and top-level modules, a quoted path with a comma,
    files outside the package, names that only look like modules."""
    info = tmp_path / "demo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\n"
                                   "Version: 9 (in the description)\n", encoding="utf-8")
    (info / "RECORD").write_text(
        "demo/__init__.py,sha256=x,1\nsingle.py,,\n\"odd,name/mod.py\",,\n"
        "../../bin/tool.py,,\n./dotted/./x.py,,\n.py,,\nnotes.txt,,\n"
        "pkg/data/file.pyc,,\ndemo-1.0.dist-info/RECORD,,\n", encoding="utf-8")
    dist = metadata.PathDistribution(info)
    assert (environment._top_levels_of_files(dist.read_text("RECORD"))
            == set(metadata._top_level_inferred(dist)))
    assert environment._headers(dist.read_text("METADATA"))["Version"] == dist.version
