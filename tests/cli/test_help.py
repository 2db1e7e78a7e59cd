"""Help people can use: a version, a description and examples in every command's help, and a README whose
command table lists exactly the commands the CLI has."""

from __future__ import annotations

import re
from importlib.metadata import version

import pytest

from tallywire.cli import build_parser, main
from tests.conftest import REPO


def commands() -> dict:
    return build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse lists them nowhere public


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out == f"tallywire {version('tallywire')}\n"


@pytest.mark.parametrize("name", sorted(commands()))
def test_every_commands_help_describes_it_with_examples(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([name, "--help"])
    help_text = capsys.readouterr().out
    description = help_text.split("\n\n")[1]
    assert len(description.split()) >= 20, description  # a paragraph, not a phrase
    examples = help_text.split("examples:\n", 1)[1].splitlines()
    assert examples and all(line.startswith("  ") and f"tallywire {name}" in help_text for line in examples)
    assert any(f"tallywire {name}" in line for line in examples), examples


def test_the_readmes_command_table_lists_exactly_the_clis_commands() -> None:
    readme = (REPO / "README.md").read_text()
    table = readme.split("## Commands\n", 1)[1].split("\n\n| command |", 1)[1].split("\n\n", 1)[0]
    listed = [re.match(r"\| `tallywire ([a-z-]+)", row).group(1) for row in table.splitlines()[2:]]
    assert sorted(listed) == sorted(commands()) and len(listed) == len(set(listed)), listed
