"""The roles a tallywire process can run (its agents), and reading them from the command line: apart from
the Faust app, so that a command can know its roles without loading Faust."""

from __future__ import annotations

from tallywire.core.errors import ConfigError

ROLES = ("process", "sink")


def parse_roles(text: str) -> tuple[str, ...]:
    roles = tuple(role.strip() for role in text.split(",") if role.strip())
    if not roles or set(roles) - set(ROLES):
        raise ConfigError(f"roles {text!r} are not a comma-separated list of {', '.join(ROLES)}")
    return roles
