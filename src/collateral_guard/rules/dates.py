"""Dates a document gives for its content: when a comparison was last verified, or the page's own date."""

from __future__ import annotations

import datetime
import re

from collateral_guard.lazy_re import LazyPattern
from collateral_guard.segments import FRONT_MATTER, TextView

MONTHS = ("january february march april may june july august september october november december").split()
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = LazyPattern(
    r"\b(?P<iso>(?P<y1>(?:19|20)\d\d)[-/.](?P<m1>\d\d)(?:[-/.](?P<d1>\d\d))?)(?![\d-])"
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<m2>{_MONTH}),? (?P<y2>(?:19|20)\d\d)\b"
    rf"|\b(?P<m3>{_MONTH}),? (?:(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?,? )?(?P<y3>(?:19|20)\d\d)\b"
    # "12/03/2024" (day and month either way round), "03/2024", "Q1 2024"
    r"|\b(?P<a4>\d{1,2})[/.](?:(?P<b4>\d{1,2})[/.])?(?P<y4>(?:19|20)\d\d)\b"
    r"|\bQ(?P<q5>[1-4]) (?P<y5>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
VERIFIED_LABELS = frozenset({"last-verified", "verified", "verified-on", "last-reviewed", "reviewed"})
# A page's own date, used when it gives no verification date: a comparison dated long ago is stale too.
PAGE_DATE_LABELS = frozenset({"date", "published", "pubdate", "publishdate", "published-at", "updated", "lastupdated",
                              "last-updated", "updated-at", "modified", "last-modified", "lastmod"})
VERIFIED_LINE = LazyPattern(
    r"\b(?:last[ -]verified|verified(?: on| as of)?|last[ -]reviewed|reviewed on|last[ -]checked|checked on|as of)"
    r"\s*(?:on\s+)?:?\s*", re.IGNORECASE)


def parse_date(text: str, start: int = 0, anchored: bool = False):
    """(date, match start, match end) of the first date in text[start:], or None."""
    match = DATE.match(text, start) if anchored else DATE.search(text, start)
    if not match:
        return None
    groups = match.groupdict()
    if groups["y4"] or groups["y5"]:
        date = _numeric(groups)
        return (date, match.start(), match.end()) if date else None
    year = int(groups["y1"] or groups["y2"] or groups["y3"])
    month_text = groups["m2"] or groups["m3"]
    month = int(groups["m1"]) if groups["m1"] else _month(month_text)
    day = int(groups["d1"] or groups["d2"] or groups["d3"] or 1)
    try:
        return datetime.date(year, month, day), match.start(), match.end()
    except (ValueError, TypeError):
        return None


def _numeric(groups: dict) -> datetime.date | None:
    """A numeric or quarter date, read as late as it can be: "03/12/2024" may be 3 December or 12 March,
    and a date read too early would call a fresh comparison stale."""
    if groups["y5"]:
        quarter_end = int(groups["q5"]) * 3
        return datetime.date(int(groups["y5"]), quarter_end, 30 if quarter_end in (6, 9) else 31)
    year, first, second = int(groups["y4"]), int(groups["a4"]), groups["b4"]
    if second is None:
        readings = [(first, 1)]
    else:
        readings = [(first, int(second)), (int(second), first)]
    dates = []
    for month, day in readings:
        try:
            dates.append(datetime.date(year, month, day))
        except ValueError:
            continue
    return max(dates, default=None)


def _month(text: str | None) -> int | None:
    if not text:
        return None
    prefix = text.lower().rstrip(".")[:3]
    for number, name in enumerate(MONTHS, start=1):
        if name.startswith(prefix):
            return number
    return None


def verification_dates(view: TextView):
    """Each date the document gives for its content: (date, view start, view end, is a verification date)."""
    for index, segment in enumerate(view.segments):
        base = view.starts[index]
        label = (segment.label or "").split(".")[-1].replace("_", "-").lower()
        if segment.scope == FRONT_MATTER and label in VERIFIED_LABELS | PAGE_DATE_LABELS:
            parsed = parse_date(segment.text)
            if parsed:
                yield parsed[0], base + parsed[1], base + parsed[2], label in VERIFIED_LABELS
            continue
        for lead in VERIFIED_LINE.finditer(segment.text):
            parsed = parse_date(segment.text, lead.end(), anchored=True)
            if parsed:
                yield parsed[0], base + lead.start(), base + parsed[2], True


