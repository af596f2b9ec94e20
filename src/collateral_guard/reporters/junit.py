"""JUnit XML: a test suite per file, a failing test case per finding, a passing one for a clean file."""

from __future__ import annotations

import shutil
from dataclasses import replace
import tempfile
from xml.etree import ElementTree

from collateral_guard.printable import xml_safe
from collateral_guard.scan import FileResult


def _xml_safe(result: FileResult) -> FileResult:
    """The result with characters XML 1.0 cannot hold escaped, so the report stays well-formed."""
    findings = [replace(f, path=xml_safe(f.path), message=xml_safe(f.message), context=xml_safe(f.context),
                        match=xml_safe(f.match), suggestion=f.suggestion and xml_safe(f.suggestion))
                for f in result.findings]
    return replace(result, path=xml_safe(result.path), error=result.error and xml_safe(result.error),
                   findings=findings)


class JunitReporter:
    """One suite per file; the totals go on the enclosing testsuites element."""

    def __init__(self, stream):
        self.stream = stream
        self.totals = {"tests": 0, "failures": 0, "errors": 0}
        # The totals open the document, so the suites wait on disk, not in memory.
        self.suites = tempfile.TemporaryFile("w+", encoding="utf-8")

    def file_done(self, result: FileResult) -> None:
        result = _xml_safe(result)
        suite = ElementTree.Element("testsuite", name=result.path)
        if result.error:
            case = ElementTree.SubElement(suite, "testcase", classname=result.path, name="scan")
            ElementTree.SubElement(case, "error", message=result.error, type="unreadable").text = result.error
        elif not result.findings:
            ElementTree.SubElement(suite, "testcase", classname=result.path, name="no findings")
        for f in result.findings:
            name = f"{f.rule} at {f.line}:{f.column}" + (f" ({f.part})" if f.part else "")
            case = ElementTree.SubElement(suite, "testcase", classname=result.path, name=name)
            failure = ElementTree.SubElement(case, "failure", message=f.message, type=f.severity)
            failure.text = f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}\n{f.context}" + (
                f"\nsuggestion: {f.suggestion}" if f.suggestion else "")
        counts = {"tests": len(suite.findall("testcase")), "failures": len(result.findings),
                  "errors": 1 if result.error else 0}
        for key, value in counts.items():
            suite.set(key, str(value))
            self.totals[key] += value
        ElementTree.indent(suite, level=1)
        self.suites.write("  " + ElementTree.tostring(suite, encoding="unicode") + "\n")

    def finish(self, summary) -> None:
        totals = " ".join(f'{key}="{value}"' for key, value in self.totals.items())
        self.stream.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="collateral-guard" {totals}>\n')
        self.suites.seek(0)
        shutil.copyfileobj(self.suites, self.stream)
        self.suites.close()
        self.stream.write("</testsuites>\n")
