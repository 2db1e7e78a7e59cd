"""A feeds file with a bad entry: one line naming the file, the entry and the fix; exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallywire.cli import main


@pytest.mark.parametrize(("interval", "shown"), [("five", "'five'"), ("-5", "-5"), ("[1, 2]", "[1, 2]")])
def test_an_interval_that_is_no_positive_number_names_the_file_and_the_feed(
    tmp_path: Path, interval: str, shown: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """Told before the poller looks for a running pipeline: none runs here."""
    monkeypatch.setenv("TALLYWIRE_DATA_DIR", str(tmp_path))
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "- {url: 'https://a.example/rss', name: first, language: en}\n"
        f"- {{url: 'https://b.example/rss', name: second, language: de, interval: {interval}}}\n"
    )
    assert main(["poll", "--feeds", str(feeds), "--once"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tallywire: error: {feeds}, feed 2 (second): interval {shown} is not a positive number "
                          "of seconds; e.g. interval: 300"), err
    assert err.count("\n") == 1
