"""The one retry policy: its schedule as a pure function, and the header it honours."""

from __future__ import annotations

from email.utils import format_datetime
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tallywire.runtime.backoff import Backoff, retry_after_s


def test_the_ceiling_doubles_from_the_base_up_to_the_cap() -> None:
    backoff = Backoff(0.5, 5.0)
    assert [backoff.ceiling(attempt) for attempt in range(6)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    assert backoff.ceiling(10_000) == 5.0  # no overflow however long it keeps failing


def test_full_jitter_spans_zero_to_the_ceiling() -> None:
    backoff = Backoff(1.0, 60.0)
    assert backoff.delay(3, uniform=lambda: 0.0) == 8.0
    assert backoff.delay(3, uniform=lambda: 0.999) == pytest.approx(0.008)


def test_half_jitter_keeps_each_wait_longer_than_the_one_before() -> None:
    backoff = Backoff(0.2, 2.0, jitter=0.5)
    longest_first = [backoff.delay(attempt, uniform=lambda: 0.0) for attempt in range(3)]
    shortest_then = [backoff.delay(attempt, uniform=lambda: 0.999) for attempt in range(3)]
    assert longest_first == [0.2, 0.4, 0.8]
    assert all(longest <= shortest for longest, shortest in zip(longest_first, shortest_then[1:]))


def test_without_jitter_the_wait_is_the_ceiling() -> None:
    assert Backoff(60.0, 3840.0, jitter=0.0).delay(1, uniform=lambda: 0.7) == 120.0


def test_retry_after_is_a_floor_within_the_cap() -> None:
    backoff = Backoff(1.0, 30.0)
    assert backoff.delay(0, retry_after_s=7.0, uniform=lambda: 0.5) == 7.0
    assert backoff.delay(0, retry_after_s=86_400.0) == 30.0
    assert backoff.delay(6, retry_after_s=0.1, uniform=lambda: 0.0) == 30.0


@given(attempt=st.integers(0, 10_000), jitter=st.floats(0, 1), drawn=st.floats(0, 1, exclude_max=True),
       asked=st.none() | st.floats(0, 1e9))
def test_a_wait_never_passes_the_cap_nor_falls_below_zero(attempt: int, jitter: float, drawn: float,
                                                           asked: float | None) -> None:
    backoff = Backoff(0.2, 30.0, jitter)
    assert 0.0 <= backoff.delay(attempt, asked, uniform=lambda: drawn) <= 30.0


@pytest.mark.parametrize("bad", [dict(base_s=0, cap_s=1), dict(base_s=1, cap_s=-1), dict(base_s=1, cap_s=2, jitter=1.5)])
def test_a_backoff_that_cannot_wait_is_refused(bad: dict) -> None:
    with pytest.raises(ValueError):
        Backoff(**bad)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 12, 5, 12, 0, tzinfo=timezone.utc)
    in_two_minutes = format_datetime(datetime(2026, 12, 5, 12, 2, tzinfo=timezone.utc), usegmt=True)
    assert retry_after_s("120") == 120.0
    assert retry_after_s(in_two_minutes, now=now.timestamp) == 120.0
    assert retry_after_s("-5") == 0.0
    assert retry_after_s(None) is None and retry_after_s("") is None and retry_after_s("soon") is None
