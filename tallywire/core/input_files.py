"""Files a command reads as its input. What is wrong with one is a usage error naming the file and what
to give instead, not a traceback."""

from __future__ import annotations

from pathlib import Path

from tallywire.core.errors import USAGE, TallywireError


class InputFileError(TallywireError):
    exit_code = USAGE


def read_bytes(path: Path, wanted: str) -> bytes:
    """The bytes of ``path``; ``wanted`` says what the command takes ('a text file')."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file", hint=f"give {wanted}") from None
    except IsADirectoryError:
        raise InputFileError(f"{path} is a folder", hint=f"give {wanted}") from None
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror}", hint=f"give {wanted}") from None


def utf8(data: bytes, where: object) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"{where} is not UTF-8 text (byte {exc.start + 1} is 0x{data[exc.start]:02x})",
            hint="convert it to UTF-8 first (e.g. iconv -f latin1 -t utf-8)",
        ) from None


def read_text(path: Path, wanted: str) -> str:
    return utf8(read_bytes(path, wanted), path)
