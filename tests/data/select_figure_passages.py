"""Pick candidate passages for the figures dev set from the real news texts in ../shared/dedup.

A passage is one line of an article (the texts keep one paragraph or sentence a line) together with
the line before it, so that a speaker or place named just before a number is in view. Only German
and English articles, each article once. Candidates are stratified: lines with a word of conflict,
disaster or displacement, and lines with numbers of any other kind (dates, money, scores), so the
set holds both figures and numbers that are not figures. Picking reads words, never the extractor.

    python tests/data/select_figure_passages.py ../shared/dedup OUT.jsonl --per-stratum 120

The labels are made by reading each passage; this script only proposes what to read.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import sys
from pathlib import Path

FILES = ("semeval2022_task8_de_dev.csv.gz", "semeval2022_task8_other_dev.csv.gz", "story_pairs_dev.csv.gz")
_EVENT_WORDS = re.compile(
    r"soldat|truppe|armee|milit|krieg|kämpf|angriff|anschlag|getötet|tote[nr]?\b|todesopfer|opfer|verletzt|verwundet|"
    r"flücht|vertrieb|geisel|gefangen|festgenommen|rakete|drohne|explosion|erdbeben|überschwemm|brand|"
    r"soldier|troop|army|military|war\b|attack|bomb|killed|dead|deaths|wounded|injured|refugee|displaced|"
    r"hostage|captured|arrested|missile|drone|explosion|earthquake|flood|wildfire|militant|rebel",
    re.I,
)
_NUMBER = re.compile(
    r"\d|\b(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwölf|zwanzig|hundert|tausend|dutzend|million|"
    r"two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|hundred|thousand|dozen|billion)",
    re.I,
)


def articles(shared: Path):
    """(file, pair_id, side, lang, text) for each distinct German or English article."""
    csv.field_size_limit(sys.maxsize)
    seen: set[str] = set()
    for name in FILES:
        with gzip.open(shared / name, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for side in ("1", "2"):
                    text, lang = row[f"text{side}"], row[f"lang{side}"]
                    if lang in ("de", "en") and text not in seen:
                        seen.add(text)
                        yield name, row["pair_id"], int(side), lang, text


def passage_text(text: str, first_line: int, last_line: int) -> str:
    return "\n".join(text.split("\n")[first_line : last_line + 1])


def candidates(shared: Path):
    for name, pair_id, side, lang, text in articles(shared):
        lines = text.split("\n")
        for index, line in enumerate(lines):
            if index == 0 or not _NUMBER.search(line) or len(line) > 1200:
                continue
            first = index - 1 if len(lines[index - 1]) < 600 else index
            passage = passage_text(text, first, index)
            stratum = "event" if _EVENT_WORDS.search(passage) else "other"
            yield stratum, {
                "id": f"{name.split('_')[2] if 'semeval' in name else 'wmt'}-{pair_id}-{side}-{first}",
                "lang": lang,
                "source": {"file": name, "pair_id": pair_id, "side": side, "lines": [first, index]},
                "sha1": hashlib.sha1(passage.encode()).hexdigest()[:12],
                "text": passage,
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("shared", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-stratum", type=int, default=120, help="passages per language and stratum")
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    pools: dict[tuple[str, str], list[dict]] = {}
    for stratum, item in candidates(args.shared):
        pools.setdefault((item["lang"], stratum), []).append(item)
    rng = random.Random(args.seed)
    chosen = []
    for key in sorted(pools):
        pool = pools[key]
        rng.shuffle(pool)
        used_articles: set[tuple] = set()
        for item in pool:
            article = (item["source"]["file"], item["source"]["pair_id"], item["source"]["side"])
            if article in used_articles:
                continue  # one passage an article keeps the set spread over many stories
            used_articles.add(article)
            chosen.append(item)
            if len(used_articles) >= args.per_stratum:
                break
        print(f"{key}: {len(pool)} candidates, {len(used_articles)} chosen", file=sys.stderr)
    with args.out.open("w", encoding="utf-8") as out:
        for item in chosen:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
