"""``tallywire worker``: one scalable Faust worker of a deployment, against the configured Kafka.

``--roles process`` runs the stories, figures and alerts agents; ``--roles sink`` the ClickHouse
sink; both is what ``tallywire run`` does in one process.
"""

from __future__ import annotations

import argparse

from tallywire.cli.common import add_command, command_settings
from tallywire.app.agents import create_app
from tallywire.runtime.worker_roles import ROLES, parse_roles
from tallywire.app.data_dir_owner import data_dir_owner
from tallywire.app.pipeline import run_worker, running_bootstrap
from tallywire.core.progress import Progress
from tallywire.runtime.topic_admin import ensure_topics


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "worker", "run Faust agents against a running Kafka (a deployment's worker)",
        "Runs the pipeline's agents against a running Kafka, as one worker of a deployment: --roles process "
        "groups stories, extracts figures and alerts; --roles sink stores them in ClickHouse. Start as many "
        "processing workers as there are partitions to share; a stopped one's partitions move to the others. "
        "Without TALLYWIRE_KAFKA_BOOTSTRAP it joins the `tallywire run` on the same data directory.",
        """TALLYWIRE_KAFKA_BOOTSTRAP=kafka:9092 tallywire worker --roles process
tallywire run --roles sink & tallywire worker --roles process""",
    )
    parser.add_argument("--roles", default="process,sink",
                        help=f"comma-separated agents to run, of {', '.join(ROLES)} (default: process,sink)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = command_settings(args)
    roles = parse_roles(args.roles)
    with data_dir_owner(settings, roles, runs_broker=False):
        bootstrap = running_bootstrap(settings)
        ensure_topics(settings, bootstrap)
        context = create_app(settings, bootstrap, roles=roles, progress=Progress())
        try:
            run_worker(context, until_idle=False)
        finally:
            context.close()
    return 0
