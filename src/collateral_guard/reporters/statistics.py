"""`--statistics`: how many findings each rule produced, most first, instead of the findings themselves."""

from __future__ import annotations

from collections import Counter

from collateral_guard.findings import SEVERITY_RANK
from collateral_guard.reporters.text import summary_line
from collateral_guard.scan import FileResult


class StatisticsReporter:
    def __init__(self, stream):
        self.stream = stream
        self.counts: Counter = Counter()  # (rule, category, severity) -> findings

    def file_done(self, result: FileResult) -> None:
        if result.error:
            self.stream.write(f"{result.path}: error cannot scan: {result.error}\n")
        self.counts.update((f.rule, f.category, f.severity) for f in result.findings)

    def finish(self, summary) -> None:
        rows = sorted(self.counts.items(), key=lambda item: (-item[1], -SEVERITY_RANK[item[0][2]], item[0][0]))
        if rows:
            count_width = len(str(rows[0][1]))
            rule_width = max(len(rule) for (rule, _, _), _ in rows)
            for (rule, category, severity), count in rows:
                self.stream.write(f"{count:>{count_width}}  {rule:<{rule_width}}  {severity:<7}  {category}\n")
        self.stream.write(summary_line(summary) + "\n")
