"""Configuration files (the feed registry, the alert rules) read into pydantic models that forbid unknown
keys: a file that does not fit its model is one ``ConfigError`` line naming the file, the entry and every
field at fault, with how to fix the first."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from tallywire.core.errors import ConfigError

Model = TypeVar("Model", bound=BaseModel)

_OWN = "tallywire"  # the error type of ``rule``: its message is written to follow the field and its value


def rule(text: str) -> PydanticCustomError:
    """A validator's error, told as ``<field> <value> <text>``: "interval -5 is not a positive number of seconds"."""
    return PydanticCustomError(_OWN, text)


def read_yaml(path: Path, what: str, hint: str) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        # YAML's messages point at the line over several lines of their own: one line here, as every error.
        raise ConfigError(f"cannot read {what} {path}: {' '.join(str(exc).split())}", hint=hint) from exc


def validated(model: type[Model], data: object, where: str, hint: str, field_hints: Mapping[str, str] | None = None) -> Model:
    """``data`` as ``model``; else a ConfigError ``where: problems``, with the hint for the first problem:
    ``field_hints`` of its field, the known keys for an unknown one, else ``hint``."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        if first["type"] == "extra_forbidden" and len(first["loc"]) == 1:
            hint = f"known keys: {', '.join(model.model_fields)}"
        elif first["type"] != "missing":
            hint = (field_hints or {}).get(str(first["loc"][0]), hint)
        raise ConfigError(f"{where}: {'; '.join(_problems(errors))}", hint=hint) from None


def _field(error: ErrorDetails) -> str:
    return ".".join(str(part) for part in error["loc"])


def _problems(errors: list[ErrorDetails]) -> list[str]:
    missing = [_field(e) for e in errors if e["type"] == "missing"]
    unknown = sorted(_field(e) for e in errors if e["type"] == "extra_forbidden")
    told = [f"lacks {', '.join(missing)}"] if missing else []
    told += [f"unknown keys {unknown}"] if unknown else []
    for error in errors:
        if error["type"] not in ("missing", "extra_forbidden"):
            text = error["msg"] if error["type"] == _OWN else f"is invalid: {error['msg']}"
            told.append(f"{_field(error)} {error['input']!r} {text}")
    return told
