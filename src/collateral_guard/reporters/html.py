"""A report for people: one self-contained HTML file with a summary, findings per file and rule explanations.

It must open offline and from an email attachment, so it loads nothing: styles,
chart and script are inline. Every piece of document text is escaped, nothing
from a document becomes a link, and a Content-Security-Policy lets only the
report's own script run, so a document's text cannot execute even if escaping
were wrong. Without scripts the whole report still reads; the script only adds
the filters. File sections wait in a temporary file while the scan runs (the
summary, known last, goes first), so memory does not grow with the findings.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import tempfile
from collections import Counter
from datetime import datetime, timezone
from html import escape

from collateral_guard import __version__
from collateral_guard.findings import SEVERITIES, Finding, at_or_above
from collateral_guard.scan import FileResult

LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}
# Categories in a proposal manager's words, for the chart and the verdict; the ids stay on each finding.
CATEGORY_LABELS = {
    "secret": "leaked credentials", "internal-url": "internal links and hosts", "nda": "other customers named",
    "placeholder": "leftover placeholders", "internal-marker": "internal-only markings",
    "commitment": "roadmap and SLA promises", "superlative": "unverifiable superlatives",
    "vague-claim": "vague performance claims", "jargon": "internal jargon", "spelling": "spelling",
    "readability": "hard to read", "hidden-content": "comments and tracked changes",
    "metadata": "revealing file properties",
}

STYLE = """
:root{--error:#c0262d;--warning:#b86e00;--info:#2f6fbd;--ok:#1d7a46;--ink:#1d2330;--muted:#5d6675;
--line:#e3e6eb;--paper:#fff;--wash:#f5f6f8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--ink);background:var(--wash)}
main{max-width:1080px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:24px;margin:0 0 2px}
h2{font-size:18px;margin:0}
h3{font-size:16px;margin:0 0 6px}
a{color:var(--info)}
.meta{color:var(--muted);font-size:13px;margin:0 0 18px}
.card{background:var(--paper);border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin:0 0 18px}
.verdict{display:flex;gap:16px;align-items:center;border-left:6px solid var(--ok)}
.verdict.failed{border-left-color:var(--error)}
.verdict.incomplete{border-left-color:var(--warning)}
.verdict strong{font-size:20px;display:block}
.verdict p{margin:2px 0 0;color:var(--muted)}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:0 0 18px}
.tile{background:var(--paper);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
.tile b{display:block;font-size:28px;line-height:1.2}
.tile span{color:var(--muted);font-size:13px}
.tile.error b{color:var(--error)}.tile.warning b{color:var(--warning)}.tile.info b{color:var(--info)}
.overview{display:grid;grid-template-columns:minmax(0,1.3fr) minmax(0,1fr);gap:18px}
@media (max-width:800px){.overview{grid-template-columns:1fr}}
.bar-error{fill:var(--error)}.bar-warning{fill:var(--warning)}.bar-info{fill:var(--info)}
svg text{font:13px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--ink)}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.path{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere}
.unchecked{color:var(--error);font-weight:600}
form{display:flex;flex-wrap:wrap;gap:12px;align-items:end}
label{font-size:12px;color:var(--muted);display:flex;flex-direction:column;gap:3px}
select{font:inherit;padding:5px 8px;border:1px solid var(--line);border-radius:6px;background:var(--paper);min-width:170px}
output{color:var(--muted);font-size:13px;margin-left:auto}
.file{background:var(--paper);border:1px solid var(--line);border-radius:10px;margin:0 0 18px;overflow:hidden}
.file>header{padding:12px 18px;background:#fafbfc;border-bottom:1px solid var(--line);display:flex;gap:12px;
align-items:baseline;flex-wrap:wrap}
.file>header .counts{color:var(--muted);font-size:13px}
.finding{padding:12px 18px 14px;border-bottom:1px solid var(--line);border-left:4px solid var(--info)}
.finding:last-child{border-bottom:0}
.finding[data-severity=error]{border-left-color:var(--error)}
.finding[data-severity=warning]{border-left-color:var(--warning)}
.badge{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.05em;color:#fff;border-radius:4px;
padding:1px 7px;margin-right:8px;background:var(--info);vertical-align:2px}
.badge.error{background:var(--error)}.badge.warning{background:var(--warning)}
.message{font-weight:600}
.where{color:var(--muted);font-size:13px;margin-top:2px}
.rule{font-size:13px}
blockquote{margin:8px 0 0;padding:8px 12px;background:var(--wash);border-radius:6px;white-space:pre-wrap;
overflow-wrap:anywhere}
mark{background:#ffe08a;color:inherit;padding:0 2px;border-radius:3px;font-weight:600}
.suggestion{margin:6px 0 0;font-size:14px}
.suggestion b{color:var(--ok)}
.error-note{padding:12px 18px;color:var(--error)}
.clean{padding:12px 18px;color:var(--ok)}
.note{padding:8px 18px;color:var(--muted);font-size:13px}
.rules dt{font-weight:700;margin-top:16px;padding-top:14px;border-top:1px solid var(--line)}
.rules dd{margin:2px 0 0}
.rules p{margin:4px 0}
.rules ul{margin:6px 0;padding:0;list-style:none}
.rules .ex li{display:grid;grid-template-columns:100px 1fr;gap:8px;font-size:14px;margin:3px 0}
.rules .ex b{color:var(--error);font-weight:600}
.rules .ex b.good{color:var(--ok)}
.rules .ex span{white-space:pre-wrap;background:var(--wash);border-radius:4px;padding:1px 6px}
footer{color:var(--muted);font-size:12px;text-align:center}
[hidden]{display:none!important}
@media print{body{background:#fff}form{display:none}.card,.file{break-inside:avoid-page}}
"""

# The filters (also set from the address: #severity=error&category=nda): hide findings (and files left empty) that do not match the chosen severity, category and file.
SCRIPT = """
(function () {
  var form = document.getElementById("filters");
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var files = Array.prototype.slice.call(document.querySelectorAll(".file"));
  function apply() {
    var severity = form.severity.value, category = form.category.value, file = form.file.value, shown = 0;
    findings.forEach(function (f) {
      var show = (!severity || f.dataset.severity === severity) && (!category || f.dataset.category === category)
        && (!file || f.dataset.file === file);
      f.hidden = !show;
      shown += show ? 1 : 0;
    });
    files.forEach(function (s) {
      var mine = !file || s.dataset.file === file;
      s.hidden = !mine || ((severity || category) && !s.querySelector(".finding:not([hidden])"));
    });
    form.querySelector("output").textContent =
      "Showing " + shown + " of " + findings.length + (findings.length === 1 ? " finding" : " findings");
  }
  // A link can carry a filter: report.html#severity=error&category=nda
  location.hash.slice(1).split("&").forEach(function (pair) {
    var kv = pair.split("="), field = form.elements[decodeURIComponent(kv[0])];
    if (field && field.tagName === "SELECT") field.value = decodeURIComponent(kv[1] || "");
  });
  form.hidden = false;
  form.addEventListener("change", apply);
  apply();
  document.documentElement.setAttribute("data-filters", "ready");
})();
"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
POLICY = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{SCRIPT_HASH}'; "
          "img-src data:; base-uri 'none'; form-action 'none'")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def where(finding: Finding) -> str:
    """The place a person looks: the location the reader gave (Word), else the line; the part; the heading."""
    place = finding.location_text
    if not place:
        place = f"line {finding.line}, column {finding.column}"
        if finding.section and finding.section != finding.context:
            place += f", under “{finding.section}”"
    part = (finding.part or "body").replace("-", " ")
    if part != "body" and part not in place.lower():
        place = f"{part}: {place}"
    return place[0].upper() + place[1:]


def highlighted(context: str, match: str) -> str:
    at = context.find(match) if match else -1
    if at < 0:
        return escape(context)
    return (escape(context[:at]) + "<mark>" + escape(match) + "</mark>" + escape(context[at + len(match):]))


class HtmlReporter:
    def __init__(self, stream, rule_docs):
        self.stream = stream
        self.rules = {info.id: info for info in rule_docs}
        self.sections = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.files: list[tuple[str, str | None, Counter]] = []  # path, error, findings by severity
        self.seen_rules: set[str] = set()
        self.by_category: dict[str, Counter] = {}  # category -> findings by severity

    def file_done(self, result: FileResult) -> None:
        number = len(self.files) + 1
        counts = Counter(f.severity for f in result.findings)
        self.files.append((result.path, result.error, counts))
        path = escape(result.path)
        out = [f'<section class="file" id="file-{number}" data-file="{path}">',
               f'<header><h2 class="path">{path}</h2><span class="counts">{self._counts(counts)}</span></header>']
        if result.error:
            out.append(f'<p class="error-note"><b>Could not be checked:</b> {escape(result.error)}</p>')
        if result.config_error:
            out.append(f'<p class="error-note"><b>Configuration error:</b> {escape(result.config_error)}</p>')
        elif not result.findings:
            out.append('<p class="clean">No findings.</p>')
        for finding in result.findings:
            out.append(self._finding(finding, path))
        for unused in result.unused_suppressions:
            out.append(f'<p class="note">Line {unused.line}: {escape(unused.message)}</p>')
        out.append("</section>\n")
        self.sections.write("\n".join(out))

    def _finding(self, f: Finding, path: str) -> str:
        self.seen_rules.add(f.rule)
        self.by_category.setdefault(f.category, Counter())[f.severity] += 1
        message = f.message
        if f.location_text and message.endswith(f" ({f.location_text})"):
            message = message[: -len(f.location_text) - 3]
        rule = escape(f.rule)
        parts = [
            f'<article class="finding" data-rule="{rule}" data-severity="{escape(f.severity)}" '
            f'data-category="{escape(f.category)}" data-file="{path}">',
            f'<div class="head"><span class="badge {escape(f.severity)}">{LABELS.get(f.severity, f.severity)}</span>'
            f'<span class="message">{escape(message)}</span></div>',
            f'<div class="where">{escape(where(f))} · <a class="rule" href="#rule-{rule}">{rule}</a> '
            f'({escape(f.category)})</div>',
        ]
        if f.context:
            parts.append(f"<blockquote>{highlighted(f.context, f.match)}</blockquote>")
        if f.suggestion:
            parts.append(f'<p class="suggestion"><b>Suggestion:</b> {escape(f.suggestion)}</p>')
        parts.append("</article>")
        return "\n".join(parts)

    @staticmethod
    def _counts(counts: Counter) -> str:
        if not counts:
            return ""
        return ", ".join(plural(counts[s], s) if s != "info" else f"{counts[s]} info" for s in SEVERITIES if counts[s])

    def finish(self, summary) -> None:
        write = self.stream.write
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        write('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
              f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
              '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
              '<title>collateral-guard report</title>\n'
              f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
              "<h1>Collateral check</h1>\n"
              f'<p class="meta">collateral-guard {escape(__version__)} · {when} · '
              f"{plural(summary.files, 'file')} · gate: fail on {escape(summary.fail_on)}</p>\n")
        write(self._verdict(summary))
        write(self._tiles(summary))
        write('<div class="overview">\n'
              f'<section class="card"><h3>Findings by category</h3>{self._chart()}</section>\n'
              f'<section class="card"><h3>Files</h3>{self._file_table()}</section>\n</div>\n')
        write(self._filters())
        self.sections.seek(0)
        shutil.copyfileobj(self.sections, self.stream)
        self.sections.close()
        write(self._explanations())
        write("<footer>Generated by collateral-guard. Document text is shown as text: links in it are not "
              "live.</footer>\n</main>\n"
              f"<script>{SCRIPT}</script>\n</body>\n</html>\n")

    def _verdict(self, summary) -> str:
        blocking = sum(count for severity, count in summary.by_severity.items()
                       if summary.fail_on != "never" and at_or_above(severity, summary.fail_on))
        if summary.unreadable:
            state, title = "incomplete", f"Incomplete: {plural(summary.unreadable, 'file')} could not be checked"
            detail = "Unchecked: " + ", ".join(summary.unchecked)
        elif summary.config_errors:
            state, title = "incomplete", f"Incomplete: {plural(summary.config_errors, 'file')} with a " \
                                         "configuration error"
            detail = "Fix the setting each file's section names, then check again."
        elif summary.failed:
            state, title = "failed", "Not ready to send"
            counts = sorted(((sum(n for s, n in c.items() if at_or_above(s, summary.fail_on)), category)
                             for category, c in self.by_category.items()), key=lambda x: (-x[0], x[1]))
            detail = (f"{plural(blocking, 'finding')} at or above {summary.fail_on} to fix or suppress before "
                      "these documents go out: "
                      + ", ".join(f"{n} {CATEGORY_LABELS.get(c, c)}" for n, c in counts if n) + ".")
        else:
            state, title = "passed", "Ready to send" if not summary.findings else "Passed the gate"
            detail = ("No findings." if not summary.findings else
                      f"{plural(summary.findings, 'finding')} below the gate's threshold ({summary.fail_on}) "
                      "to review.")
        if summary.stale_baseline_entries:
            detail += f" Baseline entries that no longer match: {summary.stale_baseline_entries} (regenerate it)."
        return (f'<section class="card verdict {state}" id="verdict" data-verdict="{state}">'
                f"<div><strong>{escape(title)}</strong><p>{escape(detail)}</p></div></section>\n")

    @staticmethod
    def _tiles(summary) -> str:
        tiles = [f'<div class="tile"><b>{summary.files - summary.unreadable}</b><span>files checked</span></div>',
                 f'<div class="tile{" error" if summary.unreadable else ""}"><b>{summary.unreadable}</b>'
                 "<span>files not checked</span></div>"]
        for severity in SEVERITIES:
            count = summary.by_severity.get(severity, 0)
            noun = "info" if severity == "info" else plural(count, severity).split(" ", 1)[1]
            tiles.append(f'<div class="tile {severity}"><b>{count}</b><span>{noun}</span></div>')
        return '<div class="tiles">' + "".join(tiles) + "</div>\n"

    def _chart(self) -> str:
        """Horizontal bars, one per category, split by severity."""
        if not self.by_category:
            return "<p>No findings.</p>"
        rows = sorted(self.by_category.items(), key=lambda item: (-sum(item[1].values()), item[0]))
        label_width, bar_width, row_height = 225, 215, 28
        most = max(sum(c.values()) for _, c in rows)
        height = row_height * len(rows) + 30
        out = [f'<svg role="img" aria-label="Findings by category and severity" width="100%" '
               f'viewBox="0 0 {label_width + bar_width + 50} {height}" xmlns="http://www.w3.org/2000/svg">']
        for i, (category, counts) in enumerate(rows):
            y = i * row_height
            label = escape(CATEGORY_LABELS.get(category, category))
            out.append(f'<text x="{label_width - 8}" y="{y + 18}" text-anchor="end">{label}</text>')
            x = float(label_width)
            for severity in SEVERITIES:
                if counts[severity]:
                    width = bar_width * counts[severity] / most
                    out.append(f'<rect x="{x:.1f}" y="{y + 5}" width="{width:.1f}" height="18" rx="3" '
                               f'class="bar-{severity}"><title>{counts[severity]} {severity} in '
                               f"{escape(category)}</title></rect>")  # the id: what the filter and the JSON report use
                    x += width
            out.append(f'<text x="{x + 6:.1f}" y="{y + 18}">{sum(counts.values())}</text>')
        legend_y = height - 8
        for i, severity in enumerate(SEVERITIES):
            x = label_width + i * 90
            out.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" rx="2" class="bar-{severity}"/>'
                       f'<text x="{x + 15}" y="{legend_y}">{severity}</text>')
        out.append("</svg>")
        return "".join(out)

    def _file_table(self) -> str:
        rows = []
        for number, (path, error, counts) in enumerate(self.files, start=1):
            status = (f'<span class="unchecked">not checked: {escape(error)}</span>' if error
                      else self._counts(counts) or "no findings")
            rows.append(f'<tr><td><a class="path" href="#file-{number}">{escape(path)}</a></td><td>{status}</td></tr>')
        return "<table><thead><tr><th>File</th><th>Findings</th></tr></thead><tbody>" + "".join(rows) + \
            "</tbody></table>"

    def _filters(self) -> str:
        def select(name: str, label: str, values) -> str:
            options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
            return f'<label>{label}<select name="{name}"><option value="">All</option>{options}</select></label>'

        categories = sorted(self.by_category)
        severities = [s for s in SEVERITIES if any(c[s] for c in self.by_category.values())]
        paths = [path for path, error, counts in self.files if counts or error]
        return ('<form id="filters" class="card" hidden>' + select("severity", "Severity", severities)
                + select("category", "Category", categories) + select("file", "File", paths)
                + "<output></output></form>\n")

    def _explanations(self) -> str:
        if not self.seen_rules:
            return ""
        out = ['<section class="card rules" id="rules"><h3>What each rule checks</h3><dl>']
        for rule_id in sorted(self.seen_rules):
            info = self.rules.get(rule_id)
            out.append(f'<dt id="rule-{escape(rule_id)}">{escape(rule_id)}</dt>')
            if info is None:
                out.append("<dd>Run <code>collateral-guard explain " + escape(rule_id) + "</code>.</dd>")
                continue
            out.append(f"<dd><p>{escape(info.category)}, {escape(info.severity)} by default. {escape(info.summary)}"
                       f"</p><p>{escape(info.description)}</p>")
            examples = [("Flagged", e) for e in info.bad[:2]] + [("Not flagged", e) for e in info.good[:2]]
            if examples:
                out.append('<ul class="ex">' + "".join(
                    f'<li><b class="{"good" if label == "Not flagged" else "bad"}">{label}</b>'
                    f"<span>{escape(text.strip())}</span></li>" for label, text in examples) + "</ul>")
            out.append("</dd>")
        out.append("</dl></section>\n")
        return "\n".join(out)
