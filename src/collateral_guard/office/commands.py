"""The clean and annotate commands: where the copy goes, what is printed, and the exit code.

Both read their input as `check` does (same size limit, same refusals for encrypted, corrupt and
hostile files) and never write over an existing file unless told to.
"""

from __future__ import annotations

import os
from pathlib import PurePath

from collateral_guard.errors import FatalError
from collateral_guard.findings import at_or_above
from collateral_guard.readers import DOCX_SUFFIXES, PPTX_SUFFIXES, XLSX_SUFFIXES, ReadError
from collateral_guard.reporters import Summary
from collateral_guard.reporters.text import TextReporter
from collateral_guard.scan import FileResult, Scanner, Target, _read_bytes


def destination(source: str, output: str | None, in_place: bool, force: bool) -> str:
    """Where the new copy goes; refuses to write over a file (the input included) unless told to."""
    if in_place:
        if output:
            raise FatalError("--in-place and --output are exclusive: give one")
        return source
    if not output:
        raise FatalError(f"{source}: give --output FILE for the new copy (or --in-place to replace the input)")
    if os.path.exists(output) and os.path.samefile(output, source):
        raise FatalError(f"{output} is the input file: use --in-place to replace it")
    if os.path.isdir(output):
        raise FatalError(f"{output} is a directory: give a file name")
    if os.path.exists(output) and not force:
        raise FatalError(f"{output} already exists (use --force to overwrite)")
    return output


def read_office_file(source: str, suffixes: tuple[str, ...], kinds: str) -> bytes:
    if PurePath(source).suffix.lower() not in suffixes:
        raise FatalError(f"{source}: not {kinds} ({', '.join(suffixes)})")
    try:
        return _read_bytes(source)
    except ReadError as error:
        raise FatalError(f"{source}: cannot read: {error}") from None


def clean(source: str, output: str | None, in_place: bool, force: bool, keep_notes: bool, scanner: Scanner,
          fail_on: str, out, color: bool) -> int:
    """Write the cleaned copy, say what was removed, what was left and what remains; the exit code.

    Hidden content left on purpose (hidden rows and columns) fails the run like a finding."""
    target = destination(source, output, in_place, force)
    data = read_office_file(source, DOCX_SUFFIXES + PPTX_SUFFIXES + XLSX_SUFFIXES,
                            "a Word document, PowerPoint deck or Excel workbook")
    suffix = PurePath(source).suffix.lower()
    try:
        if suffix in PPTX_SUFFIXES:
            from collateral_guard.office.clean_pptx import clean_pptx

            edit, report = clean_pptx(source, data, keep_notes)
        elif suffix in XLSX_SUFFIXES:
            from collateral_guard.office.clean_xlsx import clean_xlsx

            edit, report = clean_xlsx(source, data)
        else:
            from collateral_guard.office.clean_docx import clean_docx

            edit, report = clean_docx(source, data)
        edit.write(target)
    except ReadError as error:
        raise FatalError(f"{source}: cannot clean: {error}") from None
    except RecursionError:
        raise FatalError(f"{source}: cannot clean: document nests too deeply") from None
    out.write(f"{source} -> {target}\n")
    for line in report.lines() or ["nothing hidden to remove"]:
        out.write(f"  {line}\n")
    for note in report.notes:
        out.write(f"  left: {note}\n")
    result = scanner.scan(Target(target, target))
    if result.error:  # our own copy must read back: anything else is a bug to report, not a file to send
        raise FatalError(f"{target} was written but cannot be checked: {result.error}")
    # Comments are gone from the copy, and with them the findings they accepted: still accepted.
    accepted = set()
    if report.counts["comments removed"] and result.findings:
        accepted = {_accepted_key(f) for f in scanner.scan(Target(source, source), data).suppressed}
    remaining = [f for f in result.findings if _accepted_key(f) not in accepted]
    if len(remaining) < len(result.findings):
        count = len(result.findings) - len(remaining)
        out.write(f"  {count} finding{'s' if count != 1 else ''} accepted with collateral-guard comments "
                  "in the original, not listed\n")
        result.findings = remaining
    application = "PowerPoint" if suffix in PPTX_SUFFIXES else "Excel" if suffix in XLSX_SUFFIXES else "Word"
    _report_remaining(result, out, color, f"Still in {target} (visible text: fix it in {application}):")
    return exit_code(result, fail_on, left_behind=bool(report.notes))


def _accepted_key(finding) -> tuple:
    """A finding by what it says, not where: cleaning moves positions."""
    return finding.rule, finding.match, " ".join(finding.context.split())


def exit_code(result: FileResult, fail_on: str, left_behind: bool = False) -> int:
    """As check: 2 for a configuration error, 1 for findings at --fail-on (or content left on purpose)."""
    if result.config_error:
        return 2
    failing = any(fail_on != "never" and at_or_above(f.severity, fail_on) for f in result.findings)
    return 1 if failing or left_behind else 0


def _report_remaining(result: FileResult, out, color: bool, heading: str) -> None:
    if result.findings:
        out.write(heading + "\n")
    summary = Summary()
    summary.add(result)
    reporter = TextReporter(out, color)
    reporter.file_done(result)
    reporter.finish(summary)


def annotate(source: str, output: str | None, force: bool, scanner: Scanner, fail_on: str, out) -> int:
    """Write the review copy and say how many comments it carries; the exit code."""
    target = destination(source, output, False, force)
    data = read_office_file(source, DOCX_SUFFIXES + PPTX_SUFFIXES, "a Word document or PowerPoint deck")
    result = scanner.scan(Target(source, source), data)
    if result.error:
        raise FatalError(f"{source}: cannot scan: {result.error}")
    deck = PurePath(source).suffix.lower() in PPTX_SUFFIXES
    try:
        if deck:
            from collateral_guard.office.annotate_pptx import annotate_pptx

            edit, anchored, listed = annotate_pptx(source, data, result.findings)
        else:
            from collateral_guard.office.annotate_docx import annotate_docx

            edit, anchored, listed = annotate_docx(source, data, result.findings)
        edit.write(target)
    except ReadError as error:
        raise FatalError(f"{source}: cannot annotate: {error}") from None
    line = f"{source} -> {target}: {anchored} comment{'s' if anchored != 1 else ''} "
    line += "on their slides" if deck else "on the text"
    if listed:
        line += f", {listed} finding{'s' if listed != 1 else ''} listed in one comment on the first "
        line += "slide" if deck else "paragraph"
    out.write(line + "\n")
    if result.config_error:
        out.write(f"{source}: configuration: {result.config_error}\n")
    summary = Summary()
    summary.add(result)
    TextReporter(out, False).finish(summary)
    return exit_code(result, fail_on)
