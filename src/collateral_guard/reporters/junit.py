"""JUnit XML: a test suite per file, a failing test case per finding, a passing one for a clean file."""

from __future__ import annotations

from xml.etree import ElementTree

from collateral_guard.scan import FileResult


class JunitReporter:
    def __init__(self, stream):
        self.stream = stream
        self.root = ElementTree.Element("testsuites", name="collateral-guard")

    def file_done(self, result: FileResult) -> None:
        suite = ElementTree.SubElement(self.root, "testsuite", name=result.path)
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
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(len(result.findings)))
        suite.set("errors", "1" if result.error else "0")

    def finish(self, summary) -> None:
        suites = self.root.findall("testsuite")
        for key in ("tests", "failures", "errors"):
            self.root.set(key, str(sum(int(s.get(key)) for s in suites)))
        ElementTree.indent(self.root)
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.stream.write(ElementTree.tostring(self.root, encoding="unicode"))
        self.stream.write("\n")
