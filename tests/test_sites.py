"""Small sites written the way real collateral sites are: Hugo, Jinja, MDX, HTML-heavy Markdown and a CMS.

Each is scanned through the command line with its own configuration, and must give
exactly these findings: template code, JSX and HTML markup give none; unfilled
fields, prose props, alt text, comments and link targets are still read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from collateral_guard.readers.markdown import read_markdown

SITES = Path(__file__).parent / "sites"


def scan(site: str) -> tuple[int, dict]:
    result = subprocess.run([sys.executable, "-m", "collateral_guard", "check", ".", "--format", "json"],
                            cwd=SITES / site, capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout)


def findings(report: dict) -> list[tuple[str, int, int, str]]:
    return [(f["rule"], f["line"], f["column"], f["match"]) for f in report["findings"]]


def test_hugo_page_with_shortcodes_and_data_blocks():
    code, report = scan("hugo")
    assert report["files"] == [{"path": "content/launch.md", "status": "ok", "error": None}]
    assert findings(report) == [
        ("unmeasured-performance", 3, 16, "Faster"),  # TOML front matter, at its position
        ("misspelling", 10, 49, "dashbords"),  # the figure's alt text is prose
        ("template-field", 12, 6, "{{customer_name}}"),  # an unfilled field beside {{ .Params... | lower }}
        ("misspelling", 16, 24, "recieve"),  # a quoted value in the shortcode's data block
        ("other-customer", 17, 12, "Umbrella Corp"),  # an unquoted data value: markup, read for leaks
        ("internal-address", 24, 22, "wiki.acme.internal"),  # the shortcode's url parameter is a link
    ]
    assert code == 1


def test_jinja_page():
    _, report = scan("jinja")
    assert findings(report) == [
        ("template-field", 9, 14, "{{ COMPANY }}"),  # beside a heading attribute {#offer}
        ("template-field", 23, 29, "[[Customer]]"),
        ("unsourced-superlative", 23, 51, "best-in-class"),
    ]


def test_mdx_page_with_components_and_testimonial_props():
    _, report = scan("mdx")
    assert report["files"] == [{"path": "src/pages/retail.mdx", "status": "ok", "error": None}]
    assert findings(report) == [
        ("unmeasured-performance", 12, 19, "fast"),  # text around {expressions}
        ("unsourced-superlative", 15, 30, "the most reliable"),  # the testimonial's quote prop
        ("internal-address", 17, 20, "assets.acme.internal"),  # logoUrl: a link target
        ("unsourced-superlative", 22, 31, "world-class"),  # a component's text children are Markdown
        ("template-field", 22, 60, "[[Customer]]"),
        ("misspelling", 26, 57, "dashbord"),  # alt of an <img> whose src is an expression
    ]


def test_page_with_html_tables_and_comments():
    _, report = scan("html")
    assert findings(report) == [
        ("unsourced-superlative", 10, 35, "industry-leading"),  # a <td>
        ("other-customer", 14, 28, "Globex"),  # comments travel with the file
        ("internal-address", 14, 48, "deals.acme.internal"),  # Globex once per paragraph (issue 12)
        ("internal-address", 16, 29, "crm.acme.internal"),  # href
        ("misspelling", 16, 71, "tema"),  # title attribute
        ("service-promise", 16, 91, "We reply within one business day"),  # a response-time promise
        ("template-field", 21, 15, "<INSERT PRICE>"),  # not HTML: a note the placeholder rule sees
        ("draft-marker", 21, 16, "INSERT PRICE"),
        ("template-field", 21, 45, "<Client>"),  # <<Client>>
    ]
    assert report["files"][0]["status"] == "ok"


def test_cms_customer_key_does_not_stop_the_page_being_scanned():
    code, report = scan("cms")
    assert report["files"] == [{"path": "stories/retailer.md", "status": "ok", "error": None}]
    # `customer: initech` is the CMS's featured company, not the target customer: Globex, who
    # is not a public reference, is a warning in a document without a target.
    assert findings(report) == [("other-customer", 9, 60, "Globex")]
    assert code == 0


def read(text: str, name: str = "page.md"):
    """(scope, text, (line, column) of its first visible character) of each segment."""
    return [(s.scope, s.text.strip(), s.position(len(s.text) - len(s.text.lstrip())))
            for s in read_markdown(name, text).segments]


def test_html_block_elements_end_sentences_and_have_their_scope():
    segments = read("<ul>\n  <li>Fast setup</li>\n  <li>No agents</li>\n</ul>\n\n"
                    "<table><tr><td>Plan</td><td>Team &amp; more</td></tr></table>\n")
    assert segments == [("list-item", "Fast setup", (2, 7)), ("list-item", "No agents", (3, 7)),
                        ("table-cell", "Plan", (6, 16)), ("table-cell", "Team &     more", (6, 29))]


def test_script_and_pre_are_not_prose():
    segments = read("<script>\nconst teh = 1;\n</script>\n\n<pre>\nrun teh job\n</pre>\n")
    assert [(scope, text) for scope, text, _ in segments] == [
        ("markup", "const teh = 1;"), ("code-block", "run teh job")]


def test_our_own_comments_are_directives_others_are_comments():
    segments = read("<!-- collateral-guard: ignore spelling -->\n<!-- owner: sales-ops -->\n")
    assert [scope for scope, _, _ in segments] == ["directive", "html-comment"]


@pytest.mark.parametrize("text, field", [
    ("Dear {{customer_name}}, welcome.", True),
    ("Dear {{ COMPANY }}, welcome.", True),
    ("Prepared for {{ account.name }}.", True),  # a dotted field, in a page with no template code
    ("Dear {{ .Params.customer }}, welcome.", False),
    ("The cover is {{ page.image }} today.", False),  # Jekyll's page object
    ("Dear {{ page.title | upcase }}, welcome.", False),
    ("Prepared for {{ account.name }}. {% if beta %}Beta.{% endif %}", False),
    ("{{- end }}", False),
    ("{{ end }}", False),
])
def test_fields_and_template_code_are_told_apart_by_shape(text, field):
    paragraph = [t for scope, t, _ in read(text + "\n") if scope == "paragraph"]
    assert ("{{" in " ".join(paragraph)) == field


def test_not_every_angle_bracket_is_a_component():
    segments = read("Send it to <Customer name here> and <INSERT LOGO>. <Badge>New</Badge> in <Tabs.Tab/>.\n")
    assert segments[0] == ("paragraph", "Send it to <Customer name here> and <INSERT LOGO>.        New"
                                        "         in            .", (1, 1))


def test_mdx_expressions_are_only_code_in_mdx():
    assert read("Sets {like this} are prose in Markdown.\n")[0][1] == "Sets {like this} are prose in Markdown."
    assert read("Total: {props.total} seats.\n", "page.mdx")[0][1] == "Total:               seats."


def test_a_code_fence_right_after_html_is_code():
    text = "<table><tr><td>Plan</td></tr></table>\n```\n# Set up the agent\nrun_agent(teh_config)\n\nstop()\n```\n"
    assert [(scope, t) for scope, t, _ in read(text)] == [
        ("table-cell", "Plan"), ("code-block", "# Set up the agent\nrun_agent(teh_config)\n\nstop()")]


def test_prop_values_read_as_the_page_shows_them():
    segments = read('<Price subtitle="Pricing for larger&nbsp;teams." usernames="ann,bob,carl" />\n', "page.mdx")
    assert [(scope, t) for scope, t, _ in segments if scope != "markup"] == [
        ("attribute", "Pricing for larger      teams.")]  # a list of names is not a sentence


def test_positions_after_masked_markup_on_the_same_line():
    from conftest import scan_text

    text = 'Hi {{ .Params.name | title }}, <Badge label="New" /> our {props.tool} is fast.\n'
    result = scan_text(text, name="page.mdx", select=("unmeasured-performance",))
    assert [(f.line, f.column, f.match, f.context) for f in result.findings] == [
        (1, text.index("fast") + 1, "fast", "Hi , our is fast.")]


def test_front_matter_too_large_to_parse_is_read_as_lines_not_refused():
    from conftest import scan_text

    filler = "".join(f"key{i}: value number {i}\n" for i in range(12_000))  # about 280 KB
    text = f"---\n{filler}summary: |\n  We are the world-class leader.\n---\n\nBody.\n"
    result = scan_text(text, select=("unsourced-superlative",))
    assert result.error is None
    assert [(f.line, f.column) for f in result.findings] == [(12_003, 14)]


def test_front_matter_that_is_not_yaml_is_read_as_lines():
    segments = read("---\ntitle: Fast: the only platform\nbad: [unclosed\n---\n\nBody.\n")
    assert segments[:2] == [("title", "Fast: the only platform", (2, 8)), ("front-matter", "[unclosed", (3, 6))]
