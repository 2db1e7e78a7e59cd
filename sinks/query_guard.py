"""Is a query text one read statement that stays inside the database? Checked before anything runs.

The engine's ``readonly=1`` (see ``sinks/query_session.py``) refuses writes, DDL and setting changes,
but not everything a query text can do. Tried on chDB 4.4 (ClickHouse 26.9) under ``readonly=1``:
``SELECT file('/etc/passwd')`` reads the file, ``SELECT 1 INTO OUTFILE '/tmp/x'`` writes one, and
``SELECT 1; DROP TABLE t`` runs both statements. So the text is read here the way ClickHouse's lexer
(``src/Parsers/Lexer.cpp``) reads it: string literals, quoted identifiers, ``--``, ``#!``/``# `` and
nested ``/* */`` comments. Where the two readings could differ (heredocs ``$$...$$``, a ``#`` that is
not a comment, an unclosed literal), the text is refused rather than guessed: a ``;`` that the check
took for the inside of a string but the engine for the end of a statement would run the next one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from tallywire.core.errors import ClickHouseError

READ_STATEMENTS = frozenset({"SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "EXISTS"})
# The first words of ClickHouse's other statements: refused as writes. Any other first word is a typo.
OTHER_STATEMENTS = frozenset({
    "INSERT", "CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME", "DELETE", "UPDATE", "OPTIMIZE", "SET", "SYSTEM",
    "KILL", "GRANT", "REVOKE", "ATTACH", "DETACH", "USE", "CHECK", "EXCHANGE", "UNDROP", "BACKUP", "RESTORE",
    "WATCH", "MOVE", "REPLACE", "UNDO", "BEGIN", "COMMIT", "ROLLBACK", "EXECUTE", "PARALLEL",
})

# Functions (table functions and the scalar file()) that read or write outside the database: the host's
# files, the network, other servers, programs, or this process's Python objects (chDB's python(),
# arrowstream()); eval() runs a query built from a string, which no token check could see. Lower case:
# some are registered case-insensitively. tests/sinks/test_query_guard.py fails when chDB lists a table
# function that is neither here nor known to stay inside the database.
OUTSIDE_FUNCTIONS = frozenset(name.lower() for name in (
    "file", "fileCluster", "filesystem", "url", "urlCluster", "input", "executable", "python", "arrowstream", "eval",
    "s3", "s3Cluster", "gcs", "oss", "cosn", "hdfs", "hdfsCluster", "azureBlobStorage", "azureBlobStorageCluster",
    "remote", "remoteSecure", "cluster", "clusterAllReplicas",
    "mysql", "postgresql", "odbc", "jdbc", "mongodb", "redis", "sqlite", "ytsaurus", "bigquery",
    "prometheusQuery", "prometheusQueryRange",
    "iceberg", "icebergS3", "icebergAzure", "icebergHDFS", "icebergLocal", "icebergCluster", "icebergS3Cluster",
    "icebergAzureCluster", "icebergHDFSCluster", "icebergLocalCluster",
    "deltaLake", "deltaLakeS3", "deltaLakeAzure", "deltaLakeLocal", "deltaLakeCluster", "deltaLakeS3Cluster",
    "deltaLakeAzureCluster", "hudi", "hudiCluster",
    "paimon", "paimonS3", "paimonAzure", "paimonHDFS", "paimonLocal", "paimonCluster", "paimonS3Cluster",
    "paimonAzureCluster", "paimonHDFSCluster",
))


class QueryRefused(ClickHouseError):
    """The query text was refused before it reached ClickHouse: nothing ran."""


class QuerySyntaxError(ClickHouseError):
    """The query text is not SQL ClickHouse reads; told with the user's own text and position."""


@dataclass(frozen=True)
class Token:
    kind: str  # "word" (bare), "quoted" (`identifier` or "identifier"), "string", or "symbol"
    text: str  # a word's or identifier's name (unquoted), a string literal as written, or the symbol
    start: int  # offset in the query text


def checked_query(sql: str) -> str:
    """``sql`` as it may run (a final ``;`` dropped), or QueryRefused saying what was refused and why."""
    found = tokens(sql)
    if not found:
        raise QueryRefused("refused: the query is empty")
    if found[-1].text == ";" and found[-1].kind == "symbol":
        sql, found = sql[: found[-1].start], found[:-1]
    for token in found:
        if token.kind == "symbol" and token.text == ";":
            raise QueryRefused(
                f"refused: only one statement per query (found ';' at position {token.start + 1})",
                hint="run each statement on its own",
            )
    _check_first_word(found)
    for token, following in zip(found, found[1:]):
        if token.kind in ("word", "quoted") and token.text.lower() in OUTSIDE_FUNCTIONS and following.text == "(":
            raise QueryRefused(
                f"refused: {token.text}() reaches outside the database (position {token.start + 1})",
                hint="query the tables tallywire stores (SHOW TABLES)",
            )
        if _is_word(token, "FORMAT") and following is found[-1] and following.kind == "word":
            raise QueryRefused(f"refused: FORMAT {following.text} at position {token.start + 1}",
                               hint="leave the format to tallywire's --format (table, json, csv, tsv)")
        if _is_word(token, "INTO") and _is_word(following, "OUTFILE"):
            raise QueryRefused(f"refused: INTO OUTFILE writes a file outside the database (position {token.start + 1})",
                               hint="redirect the output of tallywire sql instead")
    return sql


def _check_first_word(found: list[Token]) -> None:
    # A query may open with parentheses: (SELECT ...) UNION ALL (SELECT ...).
    first = next((t for t in found if t.text != "("), found[0])
    word = first.text.upper()
    if first.kind == "word" and word not in READ_STATEMENTS | OTHER_STATEMENTS:
        close = difflib.get_close_matches(word, sorted(READ_STATEMENTS), n=1)
        raise QuerySyntaxError(
            f"syntax error at position {first.start + 1}: {first.text!r} begins no statement",
            hint=f"did you mean {close[0]}?" if close else f"start the query with one of {', '.join(sorted(READ_STATEMENTS))}",
        )
    if first.kind != "word" or word not in READ_STATEMENTS:
        raise QueryRefused(
            f"refused: only read-only queries are run here, not {first.text.upper()!r}",
            hint=f"start the query with one of {', '.join(sorted(READ_STATEMENTS))}",
        )


def _is_word(token: Token, word: str) -> bool:
    return token.kind == "word" and token.text.upper() == word


def tokens(sql: str) -> list[Token]:
    """The tokens of ``sql`` as ClickHouse's lexer splits them, comments and whitespace left out."""
    found: list[Token] = []
    pos, end = 0, len(sql)
    while pos < end:
        char, start = sql[pos], pos
        if char.isspace():
            pos += 1
        elif sql.startswith("--", pos):
            pos = _line_end(sql, pos)
        elif char == "#":
            # ClickHouse reads "# " and "#!" as line comments and any other '#' as an error.
            if not sql.startswith(("# ", "#!"), pos):
                raise QueryRefused(f"refused: '#' at position {pos + 1} is neither '# ' nor '#!' (a comment)")
            pos = _line_end(sql, pos)
        elif sql.startswith("/*", pos):
            pos = _block_comment_end(sql, pos)
        elif char == "'":
            pos = _quoted_end(sql, pos)
            found.append(Token("string", sql[start:pos], start))
        elif char in "\"`":
            pos = _quoted_end(sql, pos)
            found.append(Token("quoted", sql[start + 1 : pos - 1].replace(char * 2, char), start))
        elif char == "$":
            raise QueryRefused(f"refused: '$' at position {pos + 1}: heredoc strings ($$...$$) are not accepted here",
                               hint="write the string in single quotes")
        elif _is_word_char(char):
            while pos < end and _is_word_char(sql[pos]):
                pos += 1
            found.append(Token("word", sql[start:pos], start))
        else:
            pos += 1
            found.append(Token("symbol", char, start))
    return found


def _is_word_char(char: str) -> bool:
    # ClickHouse's lexer takes every byte of a multi-byte UTF-8 character as part of a word.
    return char.isalnum() or char == "_" or ord(char) >= 0x80


def _line_end(sql: str, pos: int) -> int:
    # Only '\n' ends a line comment: ClickHouse reads on over '\r' (tried: "SELECT 1 -- x\r, 2" gives 1).
    newline = sql.find("\n", pos)
    return len(sql) if newline < 0 else newline + 1


def _block_comment_end(sql: str, pos: int) -> int:
    # ClickHouse nests /* */ comments: "/* a /* b */ c */" is one comment.
    depth, pos = 1, pos + 2
    while pos + 2 <= len(sql):
        if sql.startswith("/*", pos):
            depth, pos = depth + 1, pos + 2
        elif sql.startswith("*/", pos):
            depth, pos = depth - 1, pos + 2
            if depth == 0:
                return pos
        else:
            pos += 1
    raise QueryRefused("refused: a /* comment is not closed")


def _quoted_end(sql: str, pos: int) -> int:
    """The end of the literal or quoted identifier opening at ``pos``. As in ClickHouse: a backslash
    escapes the next character, and a doubled quote is one quote."""
    quote, start = sql[pos], pos
    pos += 1
    while pos < len(sql):
        if sql[pos] == "\\" and quote != "'":
            # ClickHouse decodes escapes in names too: `\x66ile`(...) calls file().
            raise QueryRefused(f"refused: a backslash in the quoted name at position {start + 1}")
        if sql[pos] == "\\":
            pos += 2  # the escaped character is part of the string, whatever it is
        elif sql.startswith(quote * 2, pos):
            pos += 2
        elif sql[pos] == quote:
            return pos + 1
        else:
            pos += 1
    raise QueryRefused(f"refused: the {quote} at position {start + 1} is not closed")
