"""A progress line on stderr for long scans, only when stderr is a terminal: never in a report."""

from __future__ import annotations

import time


class Progress:
    DELAY = 2.0  # seconds before a scan counts as long
    EVERY = 0.2  # seconds between updates

    def __init__(self, stream, clock=time.monotonic):
        self.stream = stream
        self.enabled = stream.isatty()
        self.clock = clock
        self.started = clock()
        self.shown_at = 0.0
        self.files = 0
        self.findings = 0

    def update(self, findings: int) -> None:
        self.files += 1
        self.findings += findings
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started >= self.DELAY and now - self.shown_at >= self.EVERY:
            self.shown_at = now
            self.stream.write(f"\r\x1b[Kscanned {self.files} files, {self.findings} findings "
                              f"({now - self.started:.0f} s)")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.shown_at:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
