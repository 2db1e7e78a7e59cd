"""The progress line: counts, the rate of stored articles since the last reading, and for a run whose input
is all given a bar of the work handled so far with its ETA."""

from __future__ import annotations

from tallywire.core.progress import NEW_ARTICLES, Progress, ProgressMeter, stored_event
from tallywire.core.topics import ARTICLES


def test_the_rate_bar_and_eta_follow_the_work() -> None:
    now = [0.0]
    progress = Progress()
    progress.consumes("stories", "raw")
    progress.consumes("sink", "articles")
    meter = ProgressMeter(progress, bounded=True, clock=lambda: now[0])
    progress.note_event(NEW_ARTICLES, 4)
    progress.note_produced("raw", 4)
    progress.note_handled("stories", "raw", 2)
    now[0] = 2.0
    line, bar = meter.reading()
    assert line == ("0 feeds polled, 4 new articles (0 entries: 0 duplicates, 0 dead letters); stored 0 articles (0.0/s), 0 figures, 0 alerts, "
                    "0 dead letters; lag 2")
    assert bar == "[##########----------] 50% ETA 2s"  # 2 handled in 2 s, 2 to go
    progress.note_handled("stories", "raw", 2)
    progress.note_produced("articles", 4)
    progress.note_handled("sink", "articles", 4)
    progress.note_event(stored_event(ARTICLES.name), 4)
    now[0] = 4.0
    line, bar = meter.reading()
    assert "stored 4 articles (2.0/s)" in line and bar == "[####################] 100% done"


def test_no_bar_while_input_keeps_coming_or_before_any() -> None:
    progress = Progress()
    assert ProgressMeter(progress, bounded=True).reading()[1] == ""
    progress.consumes("stories", "raw")
    progress.note_produced("raw", 1)
    assert ProgressMeter(progress, bounded=False).reading()[1] == ""
