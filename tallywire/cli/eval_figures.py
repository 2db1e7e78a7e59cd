"""``tallywire eval-figures FILE.jsonl``: score figure extraction on labelled passages, per language.

Prints precision, recall and F1 on (value, category); among matched figures, the accuracy of force,
location, status and attribution; and how many figure-free passages yield a figure. ``--misses FILE``
writes every miss, wrong attribute and extra figure as JSON lines, for reading what went wrong.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from processors.figure_eval import ATTRIBUTES, DEV_TEXTS, dumps_misses, read_passages, report, score_passages
from tallywire.cli.common import add_command, print_rows
from tallywire.core.formats import add_format_option, say_no_rows

# csv and tsv: one row per language, the accuracies flattened into columns of their own.
COLUMNS = ("lang", "passages", "gold_figures", "found_figures", "matched", "precision", "recall", "f1",
           *(f"accuracy_{name}" for name in ATTRIBUTES),
           "figure_free_passages", "figure_free_with_a_figure", "figure_free_rate")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "eval-figures", "score figure extraction on a JSONL file of labelled passages",
        "Runs the figure extractor on labelled passages and scores it per language: precision, recall and F1 "
        "of (value, category), the accuracy of force, location, status and attribution among the figures it "
        "matched, and how often a passage without figures yields one. json prints one object with every "
        "score; csv and tsv one row per language.",
        """tallywire eval-figures tests/data/figures_dev.jsonl
tallywire eval-figures passages.jsonl --misses misses.jsonl --format json""",
    )
    parser.add_argument("file", type=Path, help="JSONL: one passage a line, {id, lang, text|source, figures}")
    parser.add_argument("--texts", type=Path, default=DEV_TEXTS,
                        help="where the texts of 'source' passages live (default: %(default)s)")
    add_format_option(parser)
    parser.add_argument("--misses", type=Path, help="write each miss, wrong attribute and extra figure here (JSONL)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    scores = score_passages(read_passages(args.file, args.texts))
    if args.misses:
        args.misses.write_text(dumps_misses(scores) + "\n", encoding="utf-8")
    result = report(scores)
    if args.format in ("csv", "tsv"):
        rows = [{"lang": lang, **s, **{f"accuracy_{k}": v for k, v in s["accuracy_among_matched"].items()}}
                for lang, s in result["by_lang"].items()]
        print_rows(rows, COLUMNS, args.format)
        return 0
    if not result["by_lang"]:
        say_no_rows()
    if args.format == "json":
        print(json.dumps(result))
        return 0
    for lang, s in result["by_lang"].items():
        accuracy = "  ".join(f"{name} {value:.3f}" for name, value in s["accuracy_among_matched"].items())
        print(
            f"{lang}: {s['passages']} passages, {s['gold_figures']} figures labelled, {s['found_figures']} found\n"
            f"  value+category  precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}\n"
            f"  among {s['matched']} matched  {accuracy}\n"
            f"  figure-free passages with a figure: {s['figure_free_with_a_figure']} of {s['figure_free_passages']}"
            f" ({s['figure_free_rate']:.1%})"
        )
    return 0
