"""Secrets are shown as their first few characters and a mask, wherever they are printed.

Masking works on spans: a detected secret's characters are replaced in the text
every rule reads, so no finding can quote it, whole or in part.
"""

from __future__ import annotations

import re

MASK = "****"
# Stands for one masked character in the text rules read: a private-use code point, which is
# neither a word nor a sentence character, so no rule matches or splits on it.
MASK_CHAR = "\ue000"
_MASKED_RUN = re.compile(MASK_CHAR + "+")


def shown(length: int) -> int:
    """How many leading characters of a secret are shown: four, fewer for a short secret."""
    return 4 if length >= 12 else length // 3


def masked(text: str, spans: list[tuple[int, int, bool]]) -> str:
    """The text with each (start, end, show_start) span masked, sorted and not overlapping."""
    pieces = []
    at = 0
    for start, end, show_start in spans:
        keep = shown(end - start) if show_start else 0
        pieces.append(text[at:start + keep])
        pieces.append(MASK_CHAR * (end - start - keep))
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def render(text: str) -> str:
    """Text for a report: each run of masked characters printed as the mask."""
    return _MASKED_RUN.sub(MASK, text) if MASK_CHAR in text else text


def scrub(text: str, secrets: set[str]) -> str:
    """Masks secrets by value, for the few texts a reader derives from the document rather than
    reading it in place (a heading named in a location): each secret whole, or cut short before
    an ellipsis, shows only its first characters."""
    for secret in sorted(secrets, key=len, reverse=True):
        keep = shown(len(secret))
        if secret in text:
            text = text.replace(secret, secret[:keep] + MASK)
        if "…" in text:
            for cut in range(len(secret) - 1, keep, -1):
                if secret[:cut] + "…" in text:
                    text = text.replace(secret[:cut] + "…", secret[:keep] + MASK + "…")
                    break
    return text
