"""Imports go one way: cli → app → ingest | processors | sinks → runtime → core.

None of the three stages imports another; the application layer (``tallywire.app``) is the one place
that wires them together. The test and benchmark kit (``tallywire.testkit``) and ``bench`` stand beside
the CLI, and nothing in the product imports ``tests``. Lazy imports inside functions count too.
"""

from __future__ import annotations

import ast
import pytest

from tests.conftest import REPO

STAGES = ("ingest", "processors", "sinks")
PACKAGES = ("tallywire", *STAGES, "bench", "tests")
BELOW_APP = {"core", "runtime", *STAGES}
# What each layer may import, besides itself.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "runtime": {"core"},
    **{stage: {"core", "runtime"} for stage in STAGES},
    "app": BELOW_APP,
    "cli": BELOW_APP | {"app", "bench"},  # `tallywire bench` runs the benchmarks
    "testkit": BELOW_APP | {"app"},
    "bench": BELOW_APP | {"app", "testkit"},
    "tests": BELOW_APP | {"app", "cli", "testkit", "bench"},
}


def layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "tallywire":
        if len(parts) < 2 or parts[1] not in {"core", "runtime", "app", "cli", "testkit"}:
            raise AssertionError(f"{module} is in no layer: put it in tallywire.core, runtime, app, cli or testkit")
        return parts[1]
    return parts[0]


def imported(source: str) -> set[str]:
    """The project modules a module's source imports, anywhere in it."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from processors import figures_agent` and `from tallywire.runtime import embedded_broker` name a
            # module; `from processors.force_table import armed_groups` names what is in one.
            package = node.module in PACKAGES or (node.module.startswith("tallywire.") and node.module.count(".") == 1)
            names.update(f"{node.module}.{alias.name}" if package else node.module for alias in node.names)
    return {name for name in names if name.split(".")[0] in PACKAGES and name != "tallywire"}


def violations(sources: dict[str, str]) -> list[str]:
    """``module imports target`` for every import against the direction, given {module name: source}."""
    found = []
    for module, source in sorted(sources.items()):
        mine = layer(module)
        for target in sorted(imported(source)):
            theirs = layer(target)
            if theirs != mine and theirs not in ALLOWED[mine]:
                found.append(f"{module} ({mine}) imports {target} ({theirs})")
    return found


def project_sources() -> dict[str, str]:
    sources = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            module = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            if module != "tallywire":
                sources[module] = path.read_text(encoding="utf-8")
    return sources


def test_every_import_goes_down_the_layers() -> None:
    sources = project_sources()
    assert len(sources) > 150  # the walk found the code
    assert violations(sources) == []


def test_a_reverse_import_is_caught() -> None:
    """The check itself: one import against the direction in each place it can hide."""
    tree = {
        "tallywire.core.topics": "import json\n",
        "tallywire.runtime.metrics": "from tallywire.core.topics import X\n",
        "processors.figures_agent": "from tallywire.runtime.faust_app import PipelineContext\n",
        # a stage importing another, lazily inside a function
        "sinks.report": "def f():\n    from processors.force_table import armed_groups\n",
        # the core reaching up to the runtime
        "tallywire.core.settings": "from tallywire.runtime import embedded_broker\n",
        # the product importing the tests
        "bench.soak": "import tests.conftest\n",
    }
    assert violations(tree) == [
        "bench.soak (bench) imports tests.conftest (tests)",
        "sinks.report (sinks) imports processors.force_table (processors)",
        "tallywire.core.settings (core) imports tallywire.runtime.embedded_broker (runtime)",
    ]


def test_a_module_outside_the_layers_is_named() -> None:
    with pytest.raises(AssertionError, match="tallywire.helpers is in no layer"):
        layer("tallywire.helpers")


def test_the_stages_do_not_know_the_application_layer() -> None:
    assert violations({"ingest.feed_poller": "from tallywire.app.pipeline import run_pipeline\n"}) == [
        "ingest.feed_poller (ingest) imports tallywire.app.pipeline (app)"
    ]
    assert violations({"tallywire.app.agents": "from processors import figures_agent\n"}) == []
