"""Alerts end to end: the seeds one by one through the real pipeline, to a webhook and an SMTP server."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tallywire.core.errors import INTERRUPTED
from tests.alerts.test_channels import Receiver
from tests.conftest import REPO
from tallywire.testkit.cli_runner import sql_rows, start_tallywire, tallywire, wait_for_queries

pytestmark = pytest.mark.e2e

ORDER = ["002", "001", "000", "003", "004"]
EXPECTED = [
    ("north_korea", "Kursk", 3000, "reported", "002"),
    ("north_korea", "Kursk", 12000, "expected", "002"),
    ("north_korea", "Russia", 10000, "reported", "001"),
    ("north_korea", "Kursk", 8000, "reported", "001"),
    ("north_korea", "Kursk", 11000, "reported", "000"),
    ("russia_incl_north_korea", "Kursk", 50000, "reported", "004"),
]


def one_seed_folder(seed: str, root: Path) -> Path:
    manifest = json.loads((REPO / "seeds" / "manifest.json").read_text())["articles"]
    [name] = [n for n in manifest if n.startswith(seed)]
    folder = root / seed
    folder.mkdir(parents=True)
    shutil.copy(REPO / "seeds" / name, folder / name)
    (folder / "manifest.json").write_text(json.dumps({"articles": {name: manifest[name]}}))
    return folder


def settle(data_dir: Path, articles: int, receivers: list[list]) -> None:
    """Until the article is stored and no channel has received anything for two seconds."""
    deadline = time.monotonic() + 60
    while int(sql_rows(data_dir, "SELECT count() AS n FROM articles")[0]["n"]) < articles:
        assert time.monotonic() < deadline, "the article was not stored"
        time.sleep(0.3)
    seen = [len(r) for r in receivers]
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 2.0:
        time.sleep(0.2)
        if [len(r) for r in receivers] != seen:
            seen, quiet_since = [len(r) for r in receivers], time.monotonic()


def test_the_seeds_one_by_one_raise_exactly_the_new_figures(tmp_path: Path, smtp: list) -> None:
    hook = Receiver()
    channels = {
        "TALLYWIRE_WEBHOOK_URLS": hook.url, "TALLYWIRE_SMTP_HOST": "127.0.0.1", "TALLYWIRE_SMTP_PORT": str(smtp.port),
        "TALLYWIRE_SMTP_STARTTLS": "false", "TALLYWIRE_SMTP_TO": "desk@localhost",
    }
    data_dir = tmp_path / "data"
    running = start_tallywire(data_dir, "run", **channels)
    try:
        wait_for_queries(running, data_dir)
        for count, seed in enumerate(ORDER, 1):
            assert tallywire(data_dir, "ingest", str(one_seed_folder(seed, tmp_path / "in"))).returncode == 0
            settle(data_dir, count, [hook.requests, smtp])
    finally:
        assert running.stop() == INTERRUPTED, running.output

    sent = [json.loads(body)["alert"] for body in hook.delivered()]
    got = [(a["force"], a["location"], a["value"], a["status"], a["source"][:3]) for a in sent]
    # Seed by seed, in ingest order; one seed's alerts are on different keys, hence partitions, so
    # their order among themselves is not fixed.
    assert [g[4] for g in got] == [e[4] for e in EXPECTED] and sorted(got) == sorted(EXPECTED)
    assert all(a["category"] == "troops" and a["sentence"] and a["attribution"] for a in sent)
    assert len(smtp) == len(EXPECTED)
    subjects = [mail.content.decode().split("Subject: ", 1)[1].split("\n", 1)[0] for mail in smtp]
    assert sorted(s.split(": ", 1)[1].split(" (")[0] for s in subjects) == sorted(f"{v:,}" for _, _, v, _, _ in EXPECTED)

    # Restart on the same data directory and ingest the seeds again: nothing new, nothing sent.
    restarted = start_tallywire(data_dir, "run", "--seeds", "seeds/", **channels)
    try:
        wait_for_queries(restarted, data_dir)
        settle(data_dir, 5, [hook.requests, smtp])
        time.sleep(3)
    finally:
        assert restarted.stop() == INTERRUPTED, restarted.output
    assert len(hook.delivered()) == len(EXPECTED) and len(smtp) == len(EXPECTED)
