"""The progress line: on a terminal, after two seconds, cleared at the end; nothing otherwise."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from collateral_guard.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_shows_after_the_delay_and_clears():
    now = [0.0]
    stream = Terminal()
    progress = Progress(stream, clock=lambda: now[0])
    progress.update(3)
    assert stream.getvalue() == ""  # a short scan shows nothing
    now[0] = 2.5
    progress.update(2)
    assert stream.getvalue() == "\r\x1b[Kscanned 2 files, 5 findings (2 s)"
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_silent_when_not_a_terminal():
    now = [10.0]
    stream = io.StringIO()
    progress = Progress(stream, clock=lambda: now[0])
    now[0] = 20.0
    progress.update(1)
    progress.close()
    assert stream.getvalue() == ""


def test_a_real_terminal_run_keeps_stdout_clean(tmp_path):
    """stderr is a pseudo-terminal, stdout a pipe: the JSON on stdout carries no progress."""
    (tmp_path / "a.md").write_text("Pricing: TBD\n")
    leader, follower = pty.openpty()
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "a.md", "--format", "json"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=follower, text=True, timeout=120)
    os.close(follower)
    os.close(leader)
    assert result.stdout.startswith("{") and "scanned" not in result.stdout
