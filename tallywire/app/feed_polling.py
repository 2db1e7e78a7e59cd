"""The feed registry polled into the raw-article outlet, once or on each feed's interval until stopped.

``tallywire poll`` runs it in a process of its own, ``tallywire run --feeds`` in a thread beside the
Faust worker (see tallywire.app.pipeline for why a thread).
"""

from __future__ import annotations

from ingest.feed_poller import FeedPoller, PollLimits, PollSummary
from ingest.feed_registry import Feed
from ingest.page_fetcher import PageFetcher
from ingest.raw_producer import RawArticleOutlet
from tallywire.core.progress import Progress
from tallywire.core.settings import Settings

# How often the loop looks for due feeds: intervals are minutes, so a second late is nothing, and a stop
# is seen within it.
TICK_S = 1.0


class FeedPolling:
    def __init__(self, settings: Settings, feeds: list[Feed], outlet: RawArticleOutlet, progress: Progress) -> None:
        self.outlet = outlet
        self.fetcher = PageFetcher.from_settings(settings)
        self.poller = FeedPoller(feeds, self.fetcher, outlet, settings.data_dir / "feed-state.json",
                                 PollLimits.from_settings(settings), progress)

    def poll(self, only_due: bool = False) -> PollSummary:
        """Poll the feeds (those due, or all) and wait until the broker has acknowledged what they gave."""
        summary = self.poller.poll_once(only_due=only_due)
        self.outlet.flush()
        if summary.feeds:
            print(summary.line(), flush=True)
        return summary

    def poll_until_stopped(self) -> None:
        while True:
            self.poll(only_due=True)
            if self.poller.stopping.wait(TICK_S):
                return

    def stop(self) -> None:
        """Stop between two entries; callable from any thread."""
        self.poller.stop()

    def close(self) -> None:
        self.fetcher.close()
