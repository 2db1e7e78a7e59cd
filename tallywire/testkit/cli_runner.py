"""Run the real ``tallywire`` command in a subprocess, on a data directory of the test's own: what the
end-to-end tests and the benchmarks share."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# The source checkout the tests and benchmarks run from: relative paths they pass (``seeds/``) are read there.
REPO = Path(__file__).resolve().parents[2]


def tallywire_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLYWIRE_")}
    env.update({"TALLYWIRE_DATA_DIR": str(data_dir), "TALLYWIRE_LOG_LEVEL": "WARNING", **extra})
    return env


def tallywire(data_dir: Path, *args: str, timeout: float = 180, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tallywire.cli", *args],
        cwd=REPO, env=tallywire_env(data_dir, **extra), capture_output=True, text=True, timeout=timeout,
    )


class Running:
    """A long-running tallywire process. Its output goes to a file: a pipe nobody reads fills up and
    blocks the process."""

    def __init__(self, data_dir: Path, args: tuple[str, ...], extra: dict[str, str]) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = data_dir.parent / f"{data_dir.name}-{args[0]}-{time.monotonic_ns()}.log"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tallywire.cli", *args],
                cwd=REPO, env=tallywire_env(data_dir, **extra), stdout=log, stderr=subprocess.STDOUT, text=True,
                start_new_session=True,  # its own process group, for stop() to kill whole
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 60) -> int:
        """Ctrl-C, as an operator would; returns the exit code. A process still running after ``timeout``
        is killed with everything it started (its embedded broker), so that a failed test leaves nothing
        behind to slow down the next ones, and the test fails."""
        if self.alive():
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise


def free_port() -> int:
    """A free port below the kernel's ephemeral range. A port the kernel hands out (bind to port 0)
    is free again once probed, and a process started next, such as the pipeline choosing its
    embedded broker's port, could be handed the same one before the test's process binds it."""
    ephemeral_low = max(11_000, int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0]))
    for port in random.sample(range(10_000, ephemeral_low), 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port found between 10000 and {ephemeral_low}")


def start_tallywire(data_dir: Path, *args: str, **extra: str) -> Running:
    return Running(data_dir, args, extra)


def sql_rows(data_dir: Path, query: str) -> list[dict]:
    done = tallywire(data_dir, "sql", query, "--format", "JSONEachRow", timeout=60)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def count(data_dir: Path, sql: str) -> int:
    """The ``n`` of a ``SELECT count() AS n ...`` query."""
    return int(sql_rows(data_dir, sql)[0]["n"])


def doubled_ids(data_dir: Path) -> dict[str, list[dict]]:
    """Ids that articles, figures or alerts hold more than once (a few per table); empty when none."""
    doubled = {}
    # An alert's revisions are rows of their own, each stored once.
    for table, key in (("articles", "article_id"), ("figures", "figure_id"), ("alerts", "record_id")):
        rows = sql_rows(data_dir, f"SELECT {key}, count() AS c FROM {table} GROUP BY {key} HAVING c > 1 LIMIT 5")
        if rows:
            doubled[table] = rows
    return doubled


def broker_bootstrap(data_dir: Path) -> str:
    """The address of the embedded broker the pipeline on ``data_dir`` runs."""
    return json.loads((data_dir / "broker.json").read_text())["bootstrap"]


def lag_rows(data_dir: Path) -> list[dict]:
    """``tallywire lag``: per group and topic, committed and end offsets and their difference."""
    done = tallywire(data_dir, "lag", "--format", "json", timeout=60)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def kill_hard(running: Running) -> None:
    """SIGKILL, as a crash or the OOM killer would: no shutdown, no last commit."""
    os.kill(running.pid, signal.SIGKILL)
    running.process.wait(timeout=10)


# The embedded default of Settings.session_timeout_s. With the embedded broker a group whose only member
# died and rejoins at once can stay stuck (a known Tansu limit): restart after the session timeout, as an
# operator's supervisor would.
SESSION_TIMEOUT_S = 6


def wait_out_session_timeout(since: float | None = None) -> None:
    """Sleep until the session timeout (and 2 s) has passed since ``since`` (``time.monotonic()`` of the
    kill, when the test did something meanwhile), or from now."""
    start = time.monotonic() if since is None else since
    time.sleep(max(0.0, start + SESSION_TIMEOUT_S + 2 - time.monotonic()))


def wait_for_output(running: Running, text: str, timeout_s: float, after: int = 0) -> int:
    """Until ``text`` appears in the process's output (past character ``after``); returns where it ends.
    Fails with the output if the process died first."""
    deadline = time.monotonic() + timeout_s
    while (found := running.output.find(text, after)) < 0:
        assert running.alive(), f"the process exited before it wrote {text!r}:\n{running.output[-3000:]}"
        assert time.monotonic() < deadline, f"no {text!r} after {timeout_s:.0f} s:\n{running.output[-3000:]}"
        time.sleep(0.1)
    return found + len(text)


def wait_until(predicate: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Poll ``predicate`` until it holds; fail the test with ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, f"timed out after {timeout_s:.0f} s waiting for {what}"
        time.sleep(0.2)


def _serves_queries(running: Running, data_dir: Path) -> bool:
    try:
        return json.loads((data_dir / "query-endpoint.json").read_text())["pid"] == running.pid
    except (OSError, ValueError, KeyError):
        return False


def wait_for_queries(running: Running, data_dir: Path, timeout_s: float = 90) -> None:
    """Until the process owning chDB serves queries (its own endpoint: one killed before it left its file
    behind); fail with its output if it died first."""
    deadline = time.monotonic() + timeout_s
    while not _serves_queries(running, data_dir):
        assert running.alive(), running.output
        assert time.monotonic() < deadline, f"no query endpoint after {timeout_s:.0f} s:\n{running.output}"
        time.sleep(0.2)
