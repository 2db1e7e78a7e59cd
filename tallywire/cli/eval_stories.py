"""``tallywire eval-stories FILE --level story|event``: score the grouping on labelled article pairs.

With ``--format json`` it prints the issue's object, ``{"level", "pairs", "pearson", "by_lang"}``, for
the shipped ``GroupingParams``; ``--cv K`` adds ``cross_validated``: parameters chosen inside each of K
folds of whole article groups, held-out figures as mean and spread over ``--repeats`` splits
(``python -m processors.story_eval --cv`` does the dev sets, with an untouched part set aside).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from processors.story_eval import LEVELS, REPEATS, cross_validate, read_pairs, report, score_pairs
from processors.story_grouping import GroupingParams
from tallywire.cli.common import add_command, print_rows
from tallywire.core.formats import add_format_option, say_no_rows

# csv and tsv: one row per language pair and set of thresholds.
COLUMNS = ("level", "thresholds", "lang_pair", "n", "precision", "recall", "f1", "f1_sd")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "eval-stories",
        "score copy/story/event grouping on a labelled CSV of article pairs (fresh state per pair)",
        "Groups each labelled pair of articles with fresh state and scores the decision against the label, "
        "per language pair: precision, recall and F1 of 'same story' (--level story) or 'same event' "
        "(--level event), and the Pearson correlation of the similarity with the Overall rating. --cv K also "
        "chooses the thresholds by K-fold cross-validation and scores them on the held-out folds.",
        """tallywire eval-stories pairs.csv.gz --level event
tallywire eval-stories pairs.csv --level story --cv 5 --format json""",
    )
    parser.add_argument("file", type=Path, help="CSV (gzip or not) with lang1, lang2, text1, text2 and the labels")
    parser.add_argument("--level", choices=LEVELS, required=True,
                        help="story: label same_story (1/0); event: label Overall (<= 1.5 same, >= 3 different)")
    add_format_option(parser)
    parser.add_argument("--cv", type=int, metavar="K", default=0,
                        help="also choose the parameters by grouped K-fold cross-validation and report held-out "
                             "figures (default: 0, off)")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="repeated cross-validation splits")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    params = GroupingParams()
    pairs = score_pairs(read_pairs(args.file, args.level), args.level, params)
    result = report(pairs, args.level)
    if args.cv:
        result["cross_validated"] = cross_validate(pairs, args.level, params, folds=args.cv, repeats=args.repeats)
    sections = [("shipped", result["by_lang"])]
    if args.cv:
        # Held-out F1 is a mean over the repeated splits; its spread goes in its own column.
        held_out = {lang_pair: {**scores, "f1": scores["f1"]["mean"], "f1_sd": scores["f1"]["sd"]}
                    for lang_pair, scores in result["cross_validated"]["by_lang"].items()}
        sections.append((f"cross-validated ({args.cv} grouped folds, {args.repeats} splits)", held_out))
    if args.format in ("csv", "tsv"):
        rows = [{"level": args.level, "thresholds": name, "lang_pair": lang_pair, "f1_sd": "", **scores}
                for name, figures in sections for lang_pair, scores in figures.items()]
        print_rows(rows, COLUMNS, args.format)
        return 0
    if not pairs:
        say_no_rows()
    if args.format == "json":
        print(json.dumps(result))
        return 0
    print(f"level {result['level']}, {result['pairs']} pairs, Pearson of similarity with Overall "
          f"(negative: Overall 1 is most similar): {result['pearson']}")
    for name, figures in sections:
        print(f"with the {name} parameters")
        for lang_pair, scores in figures.items():
            spread = f" ± {scores['f1_sd']:.3f}" if "f1_sd" in scores else ""
            print(f"  {lang_pair}: n={scores['n']} precision={scores['precision']:.3f} "
                  f"recall={scores['recall']:.3f} F1={scores['f1']:.3f}{spread}")
    return 0
