"""One URL per article, so that one article has one id however a feed or a page spells its address.

Tracking parameters, fragments, credentials and default ports are dropped, scheme and host lower-cased,
the remaining query parameters sorted.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from tallywire.topics import stable_id

_TRACKING = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
    "_ga", "_gl", "ref", "ref_src", "ref_url", "cmpid", "cmp", "ocid", "icid", "wt_mc", "wt_zmc", "xtor", "ito",
    "s_cid", "smid",
})
_TRACKING_PREFIXES = ("utm_", "at_", "ns_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in _TRACKING or key.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = parts.hostname or ""  # lower case, without credentials
    if ":" in host:
        host = f"[{host}]"  # IPv6
    port = parts.port
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k))
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def article_id_for(url: str) -> str:
    return stable_id("url", canonical_url(url))


def _site(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def preferred_url(fetched_url: str, declared_url: str) -> str:
    """The canonical URL of a page: the one it declares (``<link rel=canonical>``) when that is on the
    same site, else the one it was fetched from. A page may not claim another site's article, which
    would let it take that article's id."""
    declared = urljoin(fetched_url, declared_url.strip()) if declared_url.strip() else ""
    if declared and urlsplit(declared).scheme in ("http", "https") and _site(declared) == _site(fetched_url):
        return canonical_url(declared)
    return canonical_url(fetched_url)
