"""No output ever holds a detected secret, whole or in part, whatever rules run (issue 13, items 1-4)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from collateral_guard.redact import shown
from collateral_guard.reporters import FORMATS
from conftest import scan_text, where
from docx_builder import build_docx

KEY_LINES = [
    "MIIEowIBAAKCAQEAr7Qp9Wm2Lx4Vt8Nk3Jh6Fd1Sa5Gy0Ue9Ic7Bn2Mz4Xq8Rw",
    "Hs3Kd7Lf9Pg2Tj6Vm1Nc5Qb8Wx4Ry0Ez3Ua7Io2Gh6Jk9Lm1Np5Qr8St4Uv0Wx",
    "Yz2Ab6Cd9Ef3Gh7Ij1Kl5Mn8Op4Qr0St3Uv7Wx2Yz6Ab9Cd3Ef7Gh1Ij5Kl8",
]
KEY_BODY = "".join(KEY_LINES)
PASSWORD = "Tidewater!Quill73"


def outputs(tmp_path, name: str, data: bytes, *options: str) -> str:
    """Everything the command line writes, in every format, to stdout, stderr, --output and a baseline."""
    (tmp_path / name).write_bytes(data)
    written = []
    for output_format in FORMATS:
        report = tmp_path / f"report.{output_format}"
        done = subprocess.run([sys.executable, "-m", "collateral_guard", "check", name, "--format", output_format,
                               "-o", str(report), *options], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)
        assert done.returncode in (0, 1), done.stderr
        written += [done.stdout, done.stderr, report.read_text()]
    done = subprocess.run([sys.executable, "-m", "collateral_guard", "baseline", name, "-o", "baseline.json"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    written += [done.stdout, done.stderr, (tmp_path / "baseline.json").read_text()]
    return "\n".join(written)


def pieces(secret: str, size: int = 6) -> set[str]:
    """Every run of ``size`` characters of the secret: none may be printed."""
    return {secret[i:i + size] for i in range(len(secret) - size + 1)}


def assert_no_piece(text: str, secret: str) -> None:
    leaked = sorted(p for p in pieces(secret) if p in text)
    assert not leaked, leaked


# -- 1. secrets inside Word-only parts -----------------------------------------------------

def key_docx(where_: str) -> bytes:
    block = ["-----BEGIN RSA PRIVATE KEY-----", *KEY_LINES, "-----END RSA PRIVATE KEY-----"]
    if where_ == "comment":
        return build_docx("Our answer covers SSO.[comment by Dana Reyes: " + " ¶ ".join(block) + "]")
    return build_docx("\n".join(f"Line {n} of the answer.[deleted: {line}]" for n, line in enumerate(block)))


@pytest.mark.parametrize("part", ["comment", "deletion"])
def test_a_key_block_in_a_comment_or_deletion_is_one_secret_never_quoted(part, tmp_path):
    data = key_docx(part)
    result = scan_text(data, name="answer.docx")
    secrets = [(f.part, f.line, f.column, f.match) for f in result.findings if f.rule == "leaked-credential"]
    # Reported once, at BEGIN (after "-----", and after the paragraph's visible text for a deletion).
    assert secrets == [("comment", 1, 6, "BEGI****") if part == "comment" else ("tracked-deletion", 1, 27, "BEGI****")]
    # The hidden-content findings for the key's paragraphs quote nothing of the key.
    hidden = [f for f in result.findings if f.rule == "hidden-content"]
    assert len(hidden) == 5
    for finding in hidden:
        assert_no_piece(finding.message + finding.context + finding.match, KEY_BODY)
    assert_no_piece(outputs(tmp_path, "answer.docx", data), KEY_BODY)


# -- 2. masking does not depend on the secret rule ----------------------------------------

@pytest.mark.parametrize("options", [("--ignore", "secret"), ("--select", "hidden-content,spelling,nda")])
def test_secrets_are_masked_when_the_secret_rule_does_not_run(options, tmp_path):
    data = build_docx(f"Kickoff notes.[comment by Dana Reyes: the admin password is {PASSWORD} for now]")
    text = outputs(tmp_path, "notes.docx", data, *options)
    assert "hidden-content" in text
    assert "the admin password is Tide****" in text
    assert_no_piece(text, PASSWORD)


def test_markdown_secret_is_masked_in_other_rules_context_with_secret_ignored(tmp_path):
    data = f"Our world-class team set the admin password: {PASSWORD} yesterday.\n".encode()
    text = outputs(tmp_path, "brief.md", data, "--ignore", "secret")
    assert "world-class" in text and "Tide****" in text
    assert_no_piece(text, PASSWORD)


# -- 3. partial leaks ----------------------------------------------------------------------

def test_a_context_window_cut_inside_a_secret_shows_no_part_of_it():
    token = "ak_live_" + "Qx7Lm2Rt9Vb4Nc8Wp3Zs6Hd1Jf5Kg0"
    # One long sentence: the superlative's context window (150 characters after it) ends inside the key.
    text = f"The market-leading {'word ' * 26}api_key={token} {'then more words ' * 20}\n"
    result = scan_text(text)
    superlative = [f for f in result.findings if f.rule != "leaked-credential" and "market-leading" in f.match]
    assert superlative, where(result.findings)
    for finding in result.findings:
        assert_no_piece(finding.context + finding.message + finding.match, token[4:])


def test_a_hidden_content_quote_truncated_inside_a_secret_shows_no_part_of_it():
    prefix = "x" * 60
    data = build_docx(f"Pricing.[hidden: {prefix} token={'Rq4Vn8Lw2Xc6Tb0Mz3Hk7Pd1'}]")
    result = scan_text(data, name="answer.docx")
    hidden = [f for f in result.findings if f.rule == "hidden-content"]
    assert len(hidden) == 1 and hidden[0].message.startswith(f'Hidden text in the document: "{prefix} token=Rq4V****')
    assert_no_piece(hidden[0].message, "Rq4Vn8Lw2Xc6Tb0Mz3Hk7Pd1")


def test_a_misspelling_inside_a_password_is_not_reported():
    result = scan_text("The password is Recieve-Quartz77 for the demo tenant.\n", select=("spelling", "secret"))
    assert [(f.rule, f.match) for f in result.findings] == [("leaked-credential", "Reci****")]


def test_a_customer_name_inside_a_secret_is_not_reported():
    from conftest import make_config

    config = make_config({"customers": {"contoso": {"names": ["Contoso"]}}})
    result = scan_text("The password is Contoso-Harbor-2291 on the shared tenant.\n", config=config)
    assert [(f.rule, f.match) for f in result.findings] == [("leaked-credential", "Cont****")]


# -- 4. detection gaps ---------------------------------------------------------------------

JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkZW1vLWFkbWluIiwicm9sZSI6Im93bmVyIn0."
       "Kq3xV9mT2pLw7RnB4cZ8hY1dF6sJ0gUe5aWt3oNi9Qk")


@pytest.mark.parametrize("line, secret", [
    (f"Paste {JWT} into the console.", JWT),
    (f"Authorization: Bearer {JWT}", JWT),
    ("curl -H 'Bearer 9f8Qx2LmT7vK3pR5wZ1nB4cH6dJ0sY8u' https://api.example.com/v1", "9f8Qx2LmT7vK3pR5wZ1nB4cH6dJ0sY8u"),
    ("Publish with npm_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5 from the build box.",
     "npm_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5"),
    ("The AWS secret access key: Qm9Lx7TzR2vW8pN4kJ6hF1dS3aG5yU0iE9cB7nM2", "Qm9Lx7TzR2vW8pN4kJ6hF1dS3aG5yU0iE9cB7nM2"),
    ("password: Hx7(q)Lm2Vz", "Hx7(q)Lm2Vz"),
    ("password: sample-Rk29!xQ", "sample-Rk29!xQ"),
])
def test_detection_gaps_are_found_and_masked_whole(line, secret):
    result = scan_text(line + "\n", select=("secret",))
    assert [(f.rule, f.column, f.end_column, f.match) for f in result.findings] == [
        ("leaked-credential", line.index(secret) + 1, line.index(secret) + len(secret) + 1,
         secret[:shown(len(secret))] + "****")]
    assert_no_piece(result.findings[0].context, secret[4:])


def test_a_secret_in_an_html_comment_is_found():
    result = scan_text(f"Intro.\n\n<!-- staging password: {PASSWORD} -->\n", select=("secret",))
    assert where(result.findings) == [("leaked-credential", 3, 24)]


@pytest.mark.parametrize("line", [
    "token = process.env.API_TOKEN_VALUE",
    'token = os.environ["DEPLOY_TOKEN"]',
    "password: ${DB_PASSWORD}",
    "password=%DB_PASSWORD%",
    "token: {{ secrets.DEPLOY_TOKEN }}",
    "api_key: <your-api-key>",
    "api_key = read_secret()",
    "Write to mailto:sales@example.com for a trial password.",
    "Mail [the team](mailto:security@example.com?subject=Token%20request).",
])
def test_references_to_a_secret_are_not_secrets(line):
    assert scan_text(line + "\n", select=("secret",)).findings == []


def test_a_long_run_of_jwt_headers_is_scanned_in_linear_time():
    import time

    started = time.process_time()
    scan_text("token " + "eyJ" * 200_000 + "\n", select=("secret",))
    # Quadratic, this takes minutes; the bound is generous so a loaded machine does not fail it.
    assert time.process_time() - started < 20


def test_json_report_of_masked_findings_is_valid_and_masked(tmp_path):
    (tmp_path / "doc.md").write_text(f"The password is {PASSWORD}.\n")
    done = subprocess.run([sys.executable, "-m", "collateral_guard", "check", "doc.md", "--format", "json"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    report = json.loads(done.stdout)
    assert [(f["match"], f["context"]) for f in report["findings"]] == [("Tide****", "The password is Tide****.")]


def test_secrets_in_raw_html_link_targets_are_found():
    text = ('<p align="center"><img src="https://cdn.example.com/logo.png?sig=Q8vL2xN7mR4tW9zK1pB6cH3dJ5sY0uFgE2aT8wXq">'
            '</p>\n\nSee <a href="https://svc:Tidewater!Quill73@api.example.com/v1">the API</a>.\n')
    result = scan_text(text, select=("secret",))
    assert [(f.line, f.column, f.match) for f in result.findings] == [(1, 66, "Q8vL****"), (3, 26, "Tide****")]


@pytest.mark.parametrize("line", [
    '    openai_secret = Client().get_secret("openai")',
    '    openai.api_key = openai_secret.secret_values["api_key"]',
    "PromptNode(model_name_or_path=\"text-davinci-003\", api_key='OPENAI_API_KEY')",
    '$ curl -H "Authorization: Bearer acme_cloud_...." \\',
    'getpass("Enter your application token (e.g.AcmeCS:xxx ):")',
    "Join [Discord](https://discord.example.com) or email [sales@example.com](mailto:sales@example.com).",
])
def test_code_samples_and_links_on_real_pages_are_not_secrets(line):
    """Shapes from public product pages (written anew here) that used to be reported."""
    assert scan_text(line + "\n", select=("secret",)).findings == []


def test_a_secret_in_a_word_heading_is_masked_in_the_locations_that_name_it():
    # The heading is cut at 60 characters for locations: here inside the password.
    heading = "Access for the pilot team, the password is Tidewater!Quill73Harbor and more"
    data = build_docx(f"[heading: {heading}]\nOur world-class team.[comment by Dana Reyes: check it]")
    found = scan_text(data, name="answer.docx").findings
    assert {f.rule for f in found} >= {"leaked-credential", "unsourced-superlative", "hidden-content"}
    for finding in found:
        shown_text = " ".join([finding.message, finding.context, finding.match, str(finding.location),
                               str(finding.section), finding.location_text or ""])
        assert_no_piece(shown_text, "Tidewater!Quill73Harbor")
    superlative = next(f for f in found if f.rule == "unsourced-superlative")
    assert superlative.location["heading"] == "Access for the pilot team, the password is Tide****…"


def test_a_detected_secret_is_masked_wherever_else_it_is_written():
    # Detected after "api_key=" only; written again where no detector would see it (a heading, prose).
    text = "# Start with Qx7Lm2Rt9Vb4Nc8Wp3Zs6\n\nRun `api_key=Qx7Lm2Rt9Vb4Nc8Wp3Zs6` first. Our world-class Qx7Lm2Rt9Vb4Nc8Wp3Zs6 team.\n"
    found = scan_text(text).findings
    assert [(f.rule, f.line) for f in found if f.rule == "leaked-credential"] == [("leaked-credential", 3)]
    for finding in found:
        assert_no_piece(" ".join([finding.message, finding.context, finding.match, str(finding.section),
                                  finding.source_line or ""]), "Qx7Lm2Rt9Vb4Nc8Wp3Zs6")
