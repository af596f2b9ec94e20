"""Where a report goes with --output: never over an input, and never half written.

The report is written to a temporary file beside the target and renamed over it
only when the run completes, so an interrupted or failed run leaves the previous
report (or none), not a truncated one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from collateral_guard.errors import FatalError
from collateral_guard.readers import SUPPORTED_SUFFIXES


def refuse_inputs(output: str, paths: tuple[str, ...]) -> None:
    """A FatalError when the report would overwrite, or be scanned as, one of the inputs."""
    target = Path(os.path.realpath(output))
    for given in paths:
        if given == "-":
            continue
        source = Path(os.path.realpath(given))
        if source == target:
            raise FatalError(f"--output {output} is one of the files being checked: refused")
        if source.is_dir() and source in target.parents and target.name.lower().endswith(SUPPORTED_SUFFIXES):
            raise FatalError(f"--output {output} is inside the checked folder {given} and would be checked "
                             "as a document: refused")


class ReportFile:
    """A text stream to a temporary file that becomes ``path`` on ``commit``, and vanishes otherwise."""

    def __init__(self, path: str):
        self.path = path
        folder = os.path.dirname(os.path.abspath(path))
        try:
            handle, self.temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp",
                                                      dir=folder)
        except OSError as error:
            raise FatalError(f"--output {path}: cannot write there: {error.strerror}") from None
        self.stream = os.fdopen(handle, "w", encoding="utf-8")

    def commit(self) -> None:
        self.stream.close()
        try:
            os.chmod(self.temporary, 0o666 & ~_umask())
            os.replace(self.temporary, self.path)
        except OSError as error:
            self.discard()
            raise FatalError(f"--output {self.path}: cannot write: {error.strerror}") from None

    def discard(self) -> None:
        self.stream.close()
        try:
            os.unlink(self.temporary)
        except FileNotFoundError:
            pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
