"""Secrets are shown as their first four characters and a mask, wherever they are printed."""

from __future__ import annotations

SHOWN = 4
MASK = "****"


def mask(secret: str) -> str:
    return secret[:SHOWN] + MASK


def scrub(text: str, secrets: set[str]) -> str:
    # Longest first, so a secret that contains another is masked whole.
    for secret in sorted(secrets, key=len, reverse=True):
        if secret and secret in text:
            text = text.replace(secret, mask(secret))
    return text
