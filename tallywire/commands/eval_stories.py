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
from tallywire.formats import add_format_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval-stories",
        help="score copy/story/event grouping on a labelled CSV of article pairs (fresh state per pair)",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("file", type=Path, help="CSV (gzip or not) with lang1, lang2, text1, text2 and the labels")
    parser.add_argument("--level", choices=LEVELS, required=True,
                        help="story: label same_story (1/0); event: label Overall (<= 1.5 same, >= 3 different)")
    add_format_option(parser, default="table", allowed=("table", "json"))
    parser.add_argument("--cv", type=int, metavar="K", default=0,
                        help="also choose the parameters by grouped K-fold cross-validation and report held-out figures (0: off)")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="repeated cross-validation splits")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    params = GroupingParams()
    pairs = score_pairs(read_pairs(args.file, args.level), args.level, params)
    result = report(pairs, args.level)
    if args.cv:
        result["cross_validated"] = cross_validate(pairs, args.level, params, folds=args.cv, repeats=args.repeats)
    if args.format == "json":
        print(json.dumps(result))
        return 0
    print(f"level {result['level']}, {result['pairs']} pairs, Pearson of similarity with Overall "
          f"(negative: Overall 1 is most similar): {result['pearson']}")
    print("with the shipped parameters")
    for lang_pair, scores in result["by_lang"].items():
        print(f"  {lang_pair}: n={scores['n']} precision={scores['precision']:.3f} "
              f"recall={scores['recall']:.3f} F1={scores['f1']:.3f}")
    if args.cv:
        held_out = result["cross_validated"]
        print(f"cross-validated ({args.cv} grouped folds, {args.repeats} splits; mean ± sd over the splits)")
        for lang_pair, scores in held_out["by_lang"].items():
            print(f"  {lang_pair}: n={scores['n']} precision={scores['precision']:.3f} recall={scores['recall']:.3f} "
                  f"F1={scores['f1']['mean']:.3f} ± {scores['f1']['sd']:.3f}")
    return 0
