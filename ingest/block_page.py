"""Tell a page that is no article from one that is: a bot challenge, a captcha, an access denial, a
consent wall, a paywall teaser, a JavaScript shell or a soft 404, each served with status 200.

Stored as an article, such a page puts its own text (``Just a moment...``, ``Accept all cookies``) into
the news. Every rule combines evidence: a provider's marker in the markup or a wording in the page, a
second marker or wording, and too little text of the page's own. No single marker decides: real articles
load Cloudflare's, DataDome's and consent managers' scripts, carry a cookie banner or a Disqus
``<noscript>`` and mention cookies, paywalls, ``404`` or JavaScript in their text; what they never are
is short as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.etree
import lxml.html

# What each rule's patterns are matched against (lower-case, whitespace and typography normalised).
MARKUP, HEADINGS, TEXT, NOSCRIPT = "markup", "headings", "text", "noscript"
# How much text a page has of its own: all its visible text; the article trafilatura found in it (a
# paywall teaser or a 404 page sits in a site's full navigation); the visible text that speaks of no
# consent (a wall's dialog is long, and all about cookies and partners).
PAGE, ARTICLE, BEYOND_CONSENT = "page", "article", "beyond consent"
# A teaser is a lead paragraph or two and the offer; a site that shows search engines the whole of a paid
# article (isAccessibleForFree false all the same) shows more.
TEASER_CHARS = 1000

_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer",
           "nav", "aside", "main", "form", "button", "a", "br", "tr", "td", "dd", "dt", "blockquote", "label")
_TYPOGRAPHY = str.maketrans({"\u2026": "...", "\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u201c": '"',
                             "\u201d": '"', "\u201e": '"'})
_CONSENT_WORDS = re.compile(
    r"cookie|consent|zustimm|einwillig|akzeptier|accept|agree|partner|tracking|datenschutz|privacy|"
    r"personali[sz]|werbung|advertis|ablehnen|reject|einstellungen|settings|speichern|store|gerät|device")


@dataclass(frozen=True)
class BlockPage:
    kind: str  # the dead letter's reason begins with it: "blocked: captcha", "paywall", "soft 404", ...
    evidence: str  # what gave it away, for whoever reads the dead letter

    @property
    def reason(self) -> str:
        return f"{self.kind} ({self.evidence})"


@dataclass(frozen=True)
class _Rule:
    kind: str
    name: str
    requires: tuple[tuple[str, str], ...]  # (view, lower-case pattern): every one must match
    measure: str
    max_chars: int  # the most text of its own such a page has

    def matches(self, views: dict[str, str], sizes: dict[str, int]) -> bool:
        return sizes[self.measure] <= self.max_chars and all(
            re.search(pattern, views[where]) for where, pattern in self.requires)


# Cloudflare puts its challenge platform's script into ordinary pages too (bot detection): a marker, no verdict.
_CLOUDFLARE_CHALLENGE = r"cf-chl|_cf_chl_opt|/cdn-cgi/challenge-platform/|cf-browser-verification|cf-challenge"
_CONSENT_MANAGERS = (r"onetrust|otsdkstub|cookielaw\.org|sourcepoint|sp_message_container|sp-prod\.net|"
                     r"privacy-mgmt\.com|didomi|privacy-center\.org|usercentrics|cookiebot|consentmanager\.net|"
                     r"qc-cmp2|trustarc|consent\.yahoo\.com")
_ACCEPT_ALL = (r"accept all|accept cookies|allow all cookies|agree and (continue|proceed)|alle akzeptieren|"
               r"cookies akzeptieren|akzeptieren und weiter|zustimmen und weiter|alle cookies zulassen|"
               r"einverstanden und weiter")
_NOT_FOUND = (r"(page|seite|artikel|article|inhalt|content)\b[^.]{0,40}\b(not (be )?found|nicht gefunden|"
              r"existiert nicht|does not exist|doesn't exist|no longer (exists|available)|nicht mehr verfügbar)|"
              r"(error|fehler)\s*404|404\s*(error|fehler|not found|nicht gefunden)")

_RULES = (
    _Rule("blocked: bot challenge", "Cloudflare challenge",
          ((MARKUP, _CLOUDFLARE_CHALLENGE),
           (TEXT, r"just a moment|checking (your browser|if the site connection is secure)|verify(ing)? you are "
                  r"(a )?human|enable javascript and cookies to continue|needs to review the security")),
          PAGE, 1000),
    _Rule("blocked: access denied", "Cloudflare block",
          ((MARKUP, r"cf-error-details|cf-wrapper|cloudflare ray id|cf-error-code"),
           (TEXT, r"you have been blocked|you are unable to access|attention required")),
          PAGE, 1500),
    _Rule("blocked: access denied", "Akamai access denied",
          ((HEADINGS, r"access denied"),
           (TEXT, r"reference\s*#\s*\d+\.[0-9a-f.]+|errors\.edgesuite\.net|permission to access")),
          PAGE, 1000),
    _Rule("blocked: captcha", "DataDome captcha",
          ((MARKUP, r"captcha-delivery\.com"), (MARKUP, r"\bvar dd\s*=\s*\{|datadome")),
          PAGE, 1000),
    _Rule("blocked: captcha", "PerimeterX captcha",
          ((MARKUP, r"px-captcha|_pxcaptcha|captcha\.px-cdn\.net"),
           (TEXT, r"press\s*(&|and)\s*hold|access to this page has been denied|human verification")),
          PAGE, 1000),
    _Rule("blocked: consent wall", "consent manager",
          ((MARKUP, _CONSENT_MANAGERS), (TEXT, _ACCEPT_ALL)),
          BEYOND_CONSENT, 400),
    _Rule("blocked: consent wall", "consent wording",
          ((TEXT, r"zustimmung|einwilligung|consent"), (TEXT, _ACCEPT_ALL)),
          BEYOND_CONSENT, 400),
    _Rule("paywall", "isAccessibleForFree false",
          ((MARKUP, r"\"isaccessibleforfree\"\s*:\s*\"?false"),
           (TEXT, r"abonn|abo\b|subscri|plus|weiterlesen|continue reading|log ?in|anmelden")),
          ARTICLE, TEASER_CHARS),
    _Rule("paywall", "subscribe to read",
          ((TEXT, r"subscribe (now )?to (continue reading|read (the full|this|more))|subscribers only|"
                  r"for subscribers|jetzt weiterlesen mit|exklusiv für abonnent|nur für abonnent|"
                  r"weiterlesen mit [\w ]{0,12}\+|weiterlesen mit [\w ]{0,12}plus"),
           (TEXT, r"abonn|abo\b|subscri|log ?in|anmelden|sign in")),
          ARTICLE, TEASER_CHARS),
    _Rule("blocked: javascript required", "JavaScript shell",
          ((NOSCRIPT, r"javascript"),
           (NOSCRIPT, r"enable|required|erforderlich|aktivier|einschalten|turn on|needs?\b|benötigt")),
          PAGE, 200),
    _Rule("soft 404", "not-found page",
          ((HEADINGS, r"\b404\b|not found|nicht gefunden|existiert nicht|does not exist|doesn't exist"),
           (TEXT, _NOT_FOUND)),
          ARTICLE, 1000),
)


def block_page(html: str | bytes, article_text: str) -> BlockPage | None:
    """The kind of block page ``html`` is, with what gave it away; None for a page that may be an article.
    ``article_text``: the text trafilatura found in it (empty when none)."""
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None  # no markup to read: the extraction has its own verdict on such a page
    markup = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    headings = " | ".join(element.text_content() for element in root.iter("title", "h1"))
    noscript = " ".join(element.text_content() for element in root.iter("noscript"))
    text = _visible_text(root)
    # What a reader reads: the title (a challenge's "Just a moment...") and the visible text.
    views = {MARKUP: _normal(markup), HEADINGS: _normal(headings), TEXT: _normal(f"{headings} | {text}"),
             NOSCRIPT: _normal(noscript)}
    sizes = {PAGE: len(_normal(text)), ARTICLE: len(article_text.strip()), BEYOND_CONSENT: _beyond_consent(text)}
    for rule in _RULES:
        if rule.matches(views, sizes):
            return BlockPage(rule.kind, f"{rule.name}, {sizes[rule.measure]} characters of its own text")
    return None


def _visible_text(root: lxml.html.HtmlElement) -> str:
    """The text a reader sees, a line per block: scripts, styles, ``<noscript>`` and the head left out."""
    for hidden in list(root.iter("script", "style", "noscript", "template", "head")):
        hidden.drop_tree()
    for block in root.iter(*_BLOCKS):
        block.tail = "\n" + (block.tail or "")
    return root.text_content()


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHY)).strip().lower()


def _beyond_consent(text: str) -> int:
    """Characters in the sentences of ``text`` that speak of no cookies, consent, partners or tracking."""
    sentences = re.split(r"(?<=[.!?])\s+|\n", text.translate(_TYPOGRAPHY))
    return sum(len(s.strip()) for s in sentences if s.strip() and not _CONSENT_WORDS.search(s.lower()))
