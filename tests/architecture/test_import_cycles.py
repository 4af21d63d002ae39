"""The import-cycle check that `make lint` runs finds a cycle, including one hidden in a function."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import grimp
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "import_cycles.py"


@pytest.fixture
def checker():
    spec = importlib.util.spec_from_file_location("import_cycles", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package `shop` whose modules are written by the test."""
    root = tmp_path / "shop"
    root.mkdir()
    (root / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
        del sys.modules[name]


def test_a_cycle_hidden_inside_a_function_is_found(checker, package):
    (package / "events.py").write_text(
        "def record():\n    from shop import reactions\n    return reactions\n"
    )
    (package / "reactions.py").write_text("from shop import jobs\n")
    (package / "jobs.py").write_text("from shop import events\n")

    found = checker.cycles(grimp.build_graph("shop", cache_dir=None), "shop")

    assert found == [["shop.events", "shop.jobs", "shop.reactions"]]


def test_modules_in_layers_have_no_cycle(checker, package):
    (package / "events.py").write_text("")
    (package / "reactions.py").write_text("from shop import events, jobs\n")
    (package / "jobs.py").write_text("from shop import events\n")

    assert checker.cycles(grimp.build_graph("shop", cache_dir=None), "shop") == []
