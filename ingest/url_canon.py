"""One URL per article: tracking parameters and fragments dropped, scheme and host lower-cased."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tallywire.core.topics import stable_id

_TRACKING = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "cmpid", "at_medium",
             "at_campaign", "wt_mc", "xtor", "ocid", "icid", "ns_mchannel", "ns_campaign", "ito"}


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    query = sorted(
        (key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in _TRACKING
    )
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port and parts.port not in (80, 443) else "")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def article_id_for(url: str) -> str:
    return stable_id("url", canonical_url(url))
