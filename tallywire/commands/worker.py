"""``tallywire worker``: one scalable Faust worker of a deployment, against the configured Kafka.

``--roles process`` runs the stories, figures and alerts agents; ``--roles sink`` the ClickHouse
sink; both is what ``tallywire run`` does in one process.
"""

from __future__ import annotations

import argparse

from tallywire.faust_app import ROLES, create_app, parse_roles
from tallywire.logging_setup import configure_logging
from tallywire.pipeline import data_dir_owner, run_worker, running_bootstrap
from tallywire.progress import Progress
from tallywire.settings import load_settings
from tallywire.topic_admin import ensure_topics


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("worker", help="run Faust agents against a running Kafka (a deployment's worker)")
    parser.add_argument("--roles", default="process,sink",
                        help=f"comma-separated agents to run, of {', '.join(ROLES)} (default: process,sink)")
    parser.add_argument("--data-dir", help="data directory (default: $TALLYWIRE_DATA_DIR or ./.tallywire)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(data_dir=args.data_dir)
    configure_logging(settings)
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
