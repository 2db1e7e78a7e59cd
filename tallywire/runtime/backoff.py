"""How long to wait before trying again: the one retry policy of the sink, the alert channels and the poller.

Exponential (``base_s`` doubled per failed attempt), capped at ``cap_s``, jittered below that ceiling so
that retries of many callers that failed together do not arrive together again, and never sooner than a
server asked with ``Retry-After`` (itself capped: a server's wish does not stall a caller for a day).
The schedule is a pure function of the attempt; the sleeping is the caller's, who knows how to be
interrupted (a Faust agent awaits, a channel thread waits on its stop event, the poller schedules a poll).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class Backoff:
    base_s: float
    cap_s: float
    # The share of the ceiling that is random: 1.0 is full jitter (anywhere from 0 up to the ceiling);
    # 0.5 keeps each wait within [ceiling / 2, ceiling], so waits still grow from one attempt to the next;
    # 0 is no jitter.
    jitter: float = 1.0

    def __post_init__(self) -> None:
        if not (self.base_s > 0 and self.cap_s > 0 and 0 <= self.jitter <= 1):
            raise ValueError(f"a backoff needs base_s and cap_s above 0 and jitter within [0, 1], not {self}")

    def ceiling(self, attempt: int) -> float:
        """The longest wait after failed attempt number ``attempt`` (0 for the first failure)."""
        # The exponent is bounded first: 2.0 ** 2000 overflows a float long before any cap is reached.
        return min(self.cap_s, self.base_s * 2.0 ** min(attempt, 64))

    def delay(self, attempt: int, retry_after_s: float | None = None,
              uniform: Callable[[], float] = random.random) -> float:
        """The wait after failed attempt number ``attempt``; ``uniform`` gives a number in [0, 1)."""
        jittered = self.ceiling(attempt) * (1.0 - self.jitter * uniform())
        return max(jittered, min(retry_after_s or 0.0, self.cap_s))


def retry_after_s(header: str | None, now: Callable[[], float] = time.time) -> float | None:
    """The seconds a ``Retry-After`` header asks for (a number, or an HTTP date); None when absent or unreadable."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(header).timestamp() - now())
    except (TypeError, ValueError):
        return None
