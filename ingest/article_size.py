"""How large an article may be: an input or record beyond the broker's message limit is refused as a dead
letter, and long text is cut.

A message larger than the broker takes made kafka-python fail the whole ingest or poll
(MessageSizeTooLargeError), and again on every restart, since the input was still there. Refusing it
before the producer sees it turns it into one dead letter (the reason, the size, the first 256 KiB).
"""

from __future__ import annotations

from dataclasses import dataclass

from tallywire.core.settings import Settings, load_settings


class TooLarge(ValueError):
    """An input or record larger than the message limit; ``reason`` says what and how large. The caller
    dead-letters it with the original it has (a file's head, a page, the record)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SizeLimits:
    max_message_bytes: int
    max_article_chars: int

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> SizeLimits:
        settings = settings or load_settings()
        return cls(settings.max_message_bytes, settings.max_article_chars)

    def check(self, what: str, size: int) -> None:
        """Raise ``TooLarge`` when ``size`` bytes of ``what`` exceed the message limit."""
        if size > self.max_message_bytes:
            raise TooLarge(f"{what} of {size} bytes exceeds the message limit of {self.max_message_bytes} bytes "
                           "(TALLYWIRE_MAX_MESSAGE_BYTES)")

    def fit(self, text: str) -> tuple[str, int]:
        """An article's text, cut at the article limit, and the length it had when cut (0 when not);
        ``TooLarge`` for a text beyond the message limit, which is no article but a dump."""
        self.check("article text", len(text.encode("utf-8")))
        if len(text) <= self.max_article_chars:
            return text, 0
        return text[:self.max_article_chars], len(text)
