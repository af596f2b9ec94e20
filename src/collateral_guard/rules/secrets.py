"""Credentials in documents: detect-secrets' token plugins, plus what they miss in prose.

Cost: one RE2 pass over the document finds candidate lines (gitleaks-style
keywords); only those lines reach the detectors. detect-secrets plugins are
called through ``analyze_string``, their pure pattern match: ``analyze_line``
reads the process-wide settings and may call ``verify()``, which goes to the
network, and a scan must never touch the network.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import math
import re
import sys
import types
from dataclasses import dataclass
from typing import Iterator

from collateral_guard import redact
from collateral_guard.config import Config
from collateral_guard.lazy_re import LazyPattern
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.rules.regex import compile_re2
from collateral_guard.segments import EVERYTHING, Segment, TextView

INFO = RuleInfo(
    id="leaked-credential",
    category="secret",
    severity="error",
    summary="Credential in the document: key, token, password, private key or connection string.",
    description=(
        "Finds cloud and SaaS keys and tokens (AWS, GCP, Azure, GitHub, GitLab, Slack, Stripe, npm, "
        "OpenAI, SendGrid, Twilio and more, through detect-secrets' plugins), private key blocks, "
        "JWTs, connection strings with a password in them, and passwords or keys assigned or "
        "written out in prose (`password: ...`, `API_KEY=...`, \"the password for the demo tenant "
        "is ...\"), in prose, code, link targets, front matter and document properties. "
        "Placeholders and references to where a secret is kept (`<YOUR_TOKEN>`, `${API_KEY}`, `$TOKEN`, "
        "`%TOKEN%`, `{{ secrets.TOKEN }}`, `process.env.API_KEY`, `os.environ[\"TOKEN\"]`, `****`, "
        "`changeme`) and AWS's published example keys are not secrets. Secrets are found and masked in "
        "every run, even with this rule off, so no report ever prints one: reports show its first four "
        "characters. Rotate the credential: removing it from the document does not make it safe again."
    ),
    bad=(
        "export ACME_API_KEY=ak_live_3Hf8kQ2mZx9LpR7vTn4W",
        "The password for the demo tenant is Autumn-Rollout#88.",
        "Connect with `postgres://svc_report:Xk92!mq@db.acme-prod.net:5432/sales`.",
        "aws_access_key_id = AKIAQ4LMZ7KX3TNRW5PJ",
        "-----BEGIN RSA PRIVATE KEY-----",
    ),
    good=(
        "Set `ACME_API_KEY=<YOUR_TOKEN>` before you run the installer.",
        "The password is stored in your vault and rotated every 90 days.",
        "The default password is `changeme`; change it at first login.",
        "Use the key `AKIAIOSFODNN7EXAMPLE` from the AWS documentation to follow along.",
        "Connect with `postgres://${DB_USER}:${DB_PASSWORD}@db.example.com/sales`.",
        "Request ID: 3f2c9a4e-8b1d-4c6e-9f0a-7d5b2e1c8a93",
    ),
    scopes=EVERYTHING,
)

# Candidate lines: anything a detector below could match contains one of these.
KEYWORDS = compile_re2(
    r"(?i)pass|pwd|secret|token|key|credential|bearer|auth|log ?in|sign[- ]?in|://[^\s/\x00]*:[^\s/\x00]*@|jdbc:|"
    r"A3T|AKIA|ASIA|ABIA|ACCA|AIza|gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|agent|wt)-|"
    r"GR1348941|xox[abposr]-|hooks\.slack\.com|_(?:live|test|prod)_|sk-|npm_|pypi-|SG\.|eyJ|"
    r"PRIVATE KEY|PuTTY-User-Key|BEGIN SSH2|sq0csp-|SK[0-9a-f]{32}|-us\d|8Q~|sig="
)

# A value runs to a space, quote or separator; a closing parenthesis is its own only when it
# closes one in the value ("Hx7(q)Lm2!", but not "(password: Hx7qLm2!)").
VALUE = r"[^\s\"'`,;&\]}]{4,}"
NAME = (r"[A-Za-z0-9_.-]*?(?:password|passwd|passphrase|pwd|secret|token|authorization|api[_-]?key|apikey|access[_-]?key|"
        r"private[_-]?key|client[_-]?secret|auth[_-]?key|credentials?|account[_-]?key|"
        r"shared[_-]?access[_-]?key|sas|bearer|pass)[A-Za-z0-9_.-]*")
# name = value, name: value, or the noun then the value with only a space between ("password Winter2024!",
# "client_secret 7c1e9a44...", "signing key 9f8e..."); the verb "pass" followed by a space is ordinary text
# ("pass AddressOf"), and a noun before a value needs a strong value (looks_like_password, looks_like_key).
ASSIGNMENT = LazyPattern(
    r"(?i)(?<![\w-])(?:--?)?[\"']?(?:(" + NAME + r")[\"']?\s*(?::=|=>|=|:)|"
    r"((?:[a-z0-9]+[_.-])*(?:password|passwd|passphrase|passcode|pwd|token|secret|api[ _-]?key|access[ _-]?key|"
    r"(?:signing|private|master|client|shared|encryption)[ _-]key))\s(?:[-–—]\s+)?)"
    r"\s*(?:bearer\s+|basic\s+)?[\"'`]?(" + VALUE + r")"
)
PROSE = LazyPattern(
    r"(?i)\b(password|passphrase|passcode|pwd|api key|access key|secret key|secret|token|credentials?)"
    r"(?:\s+(?:for|of|to|on|in)\s+[^.:;\n]{1,50}?)?\s+(?:is|was|will be|reads|remains|=)\s*:?\s+"
    r"[\"'“`]?([^\s\"'”`,;]{6,})"
)
# "The demo login is admin / Harbor!Light2025", "credentials: ops@acme.io / S3cret-2025"
USER_SLASH_PASSWORD = LazyPattern(
    r"(?i)\b(?:log ?in|sign[- ]?in|credentials?|user ?name and password|user ?name/password)\b[^\n]{0,40}?"
    r"[\w.@+-]{2,}\s?/\s?([^\s,;/]{6,})")
# The same pair a sentence further on: "Service credentials are kept in Vault. Example for your
# reviewers: svc_ro / Wint3r-Harb0r!2026"; at that distance only a password-strength value counts.
DISTANT_USER_PASSWORD = LazyPattern(
    r"(?i)\b(?:log ?in|sign[- ]?in|credentials?|passwords?|accounts?)\b[^\n]{0,120}?"
    r"[\w.@+-]{2,}[`'\"]?\s?/\s?[`'\"]?([^\s`'\",;/]{8,})")
# user:password@host; neither part crosses brackets or quotes, so a link and a mailto: beside it
# ("https://x.io) or [mail](mailto:a@b.io") is not read as one URL.
URL_CREDENTIALS = LazyPattern(r"(?i)\b(?!mailto:)([a-z][a-z0-9+.-]{1,20})://([^\s:/@()<>\[\]\"']*):"
                             r"([^\s@/()<>\[\]\"']+)@[^\s/:?#]+")
OWN_TOKENS = (
    ("Google API key", LazyPattern(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("Azure AD client secret", LazyPattern(r"(?<![\w~.-])[\w~.-]{3}\dQ~[\w~.-]{31,34}(?![\w~.-])")),
    ("GitHub fine-grained token", LazyPattern(r"\bgithub_pat_[0-9A-Za-z_]{60,}")),
    ("Stripe key", LazyPattern(r"\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}")),
    # The convention many vendors follow for their own keys: acme_live_..., nwk_test_...
    ("API key", LazyPattern(r"\b[a-z][a-z0-9]{1,11}_(?:live|test|prod)_[0-9A-Za-z]{16,}")),
    ("OpenAI key", LazyPattern(r"\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}")),
    ("Azure shared access signature", LazyPattern(r"(?<=[?&]sig=)[A-Za-z0-9%/+=]{30,}")),
    ("npm access token", LazyPattern(r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])")),
    # The whole token, signature included. A match starts only where a token can start, so a
    # long run of "eyJ" costs one pass (detect-secrets' own pattern is quadratic on it).
    ("JSON Web Token", LazyPattern(r"(?<![A-Za-z0-9_=-])eyJ[A-Za-z0-9_-]{8,}={0,2}\.eyJ[A-Za-z0-9_-]{8,}={0,2}"
                                  r"\.[A-Za-z0-9_-]*={0,2}")),
)
# An Authorization header is an assignment; a bearer token also travels alone ("-H 'Bearer ...'").
BEARER = LazyPattern(r"(?i)(?<![\w-])bearer\s+([A-Za-z0-9._~+/-]{16,}={0,2})")
# A cloud key written out in prose after its name and a colon: "AWS secret access key: ...".
NAMED_KEY = LazyPattern(
    r"(?i)\b(?:aws|azure|gcp|google|cloud|storage|account|access|secret|api|client|signing|master|service)"
    r"(?:[ _-](?:secret|access|storage|account|api|client|signing|master|service|shared))*[ _-]key"
    r"(?:\s+(?:is|was))?\s*[:=]\s*[\"'`]?([^\s\"'`,;]{12,})")
PLACEHOLDER = LazyPattern(
    r"(?i)^(?:<[^>]*>?|\$\{[^}]*\}?|\$\(?[A-Za-z_]\w*\)?|\{\{.*|%[A-Za-z_]\w*%|\*+|x{3,}|\.{3,}|…|-+|_+|"
    r"#+|\?+|0+|1234.*|abc.*|n/?a|none|null|nil|true|false|yes|no|empty|undefined|required|optional|"
    r"string|str|int|value|secret|password|passwd|pass|pwd|token|changeme|change_me|change-me|"
    r"default|admin|root|test|guest|demo|sample|example|hidden|masked|redacted|omitted|"
    r"env|environment|variable|file|vault|ssm|kms|keychain|keyring|prompt|stdin|<redacted>)$"
    r"|your|example|placeholder|redacted|dummy|insert|replace|changeme|xxxx|\*\*\*|<|>|\{\{|\$\{|\$\(|"
    r"\.\.\.|…|getenv|environ|secrets\.|vault:|ssm:|arn:aws|"
    # where a secret is kept, not the secret: process.env.API_KEY, ENV["TOKEN"], vault.get_secret(...),
    # settings.values["key"], an environment variable's name (OPENAI_API_KEY)
    r"process\.env\.|^env\.|^env\[|^[A-Za-z_][\w.]*\((?:.*[()])?$|^[A-Za-z_][\w.]*\(.*\)\.|^[A-Za-z_][\w.]*\[$|(?-i:^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$)"
)
AWS_EXAMPLES = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
PATH_LIKE = LazyPattern(r"^(?:[~.]?/|[A-Za-z]:\\)|\.(?:pem|key|json|txt|env|p12|pfx|crt|yaml|yml)$")


@dataclass(frozen=True)
class Secret:
    start: int  # within the line
    end: int
    kind: str


def _entropy(value: str) -> float:
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _classes(value: str) -> int:
    return sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                any(c.isdigit() for c in value), any(not c.isalnum() for c in value)))


EXAMPLE_VALUE = LazyPattern(r"^(?:My|Your|Our|The|Some|New|Old)[A-Z_]")  # MyPassword, YourApiKey
# A variable or member, not a value: strPassword, InputBox, ActiveWorkbook.Name
IDENTIFIER = LazyPattern(r"^[A-Za-z_]+(?:\.[A-Za-z_]+)*$")


def is_placeholder(value: str) -> bool:
    return bool(PLACEHOLDER.search(value) or EXAMPLE_VALUE.match(value)) \
        or any(example in value for example in AWS_EXAMPLES) or "EXAMPLE" in value


def is_identifier(value: str) -> bool:
    return bool(IDENTIFIER.match(value)) and ("." in value or re.search(r"[a-z][A-Z]", value) is not None)


def looks_like_password(value: str) -> bool:
    """A value someone would actually log in with: not a word, not a reference, not a variable."""
    if is_placeholder(value) or PATH_LIKE.search(value) or len(value) < 6 or is_identifier(value):
        return False
    if value.isalpha() and (value.islower() or value.istitle()):
        return False  # an ordinary word: "the password is required"
    return _classes(value) >= 2


def looks_like_key(value: str) -> bool:
    """A machine-generated key or token: long and random-looking."""
    if is_placeholder(value) or PATH_LIKE.search(value) or len(value) < 12:
        return False
    if value.isalpha() and not any(c.isupper() for c in value[1:]):
        return False  # a word or an identifier_like_this is not a key
    return _entropy(value) >= 3.0 and _classes(value) >= 2


def _kind_for(name: str) -> str:
    lower = name.lower().replace("-", "_")
    if "aws" in lower and "secret" in lower:
        return "AWS secret access key"
    if "accountkey" in lower.replace("_", "") or "sharedaccesskey" in lower.replace("_", ""):
        return "Azure storage key"
    if "private_key_id" in lower:
        return "GCP service-account key id"
    if any(word in lower for word in ("pass", "pwd")):
        return "password"
    if "client_secret" in lower or "clientsecret" in lower:
        return "client secret"
    if "token" in lower or "bearer" in lower:
        return "access token"
    return "API key or secret"


class _LoadedOnUse(types.ModuleType):
    """Stands in for a module until one of its names is used, then loads it."""

    def __getattr__(self, name: str):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        module = importlib.import_module(self.__name__)
        self.__dict__.update(module.__dict__)
        return getattr(module, name)


@functools.cache
def _plugins():
    # detect-secrets imports `requests` as it loads, to check secrets online, which we never do: loading it
    # was most of the time the plugins took to load, paid by every file with a line to look at.
    stand_in = None
    if "requests" not in sys.modules:
        stand_in = sys.modules["requests"] = _LoadedOnUse("requests")
    try:
        return _load_plugins()
    finally:
        if stand_in is not None and sys.modules.get("requests") is stand_in:
            del sys.modules["requests"]  # an import of requests elsewhere gets the real module


def _load_plugins():
    from detect_secrets.plugins import (
        aws,
        azure_storage_key,
        github_token,
        gitlab_token,
        mailchimp,
        npm,
        openai,
        private_key,
        pypi_token,
        sendgrid,
        slack,
        square_oauth,
        stripe,
        twilio,
    )

    return tuple(plugin() for plugin in (
        aws.AWSKeyDetector, azure_storage_key.AzureStorageKeyDetector, github_token.GitHubTokenDetector,
        gitlab_token.GitLabTokenDetector, mailchimp.MailchimpDetector,
        npm.NpmDetector, openai.OpenAIDetector, private_key.PrivateKeyDetector, pypi_token.PypiTokenDetector,
        sendgrid.SendGridDetector, slack.SlackDetector, square_oauth.SquareOAuthDetector,
        stripe.StripeDetector, twilio.TwilioKeyDetector,
    ))


def _plugin_spans(plugin, line: str) -> Iterator[tuple[int, int]]:
    """Where a detect-secrets plugin matches. Its analyze_string yields a regex's first group when
    there is one, and for some plugins that group is only a prefix ("ghp" of a GitHub token):
    take the whole match then, and the group only when it is the value after a name."""
    patterns = getattr(plugin, "denylist", None)
    if patterns is None or "analyze_string" in vars(type(plugin)):  # a plugin with its own logic (JWT)
        for value in set(plugin.analyze_string(line)):
            start = line.find(value) if value else -1
            while start >= 0:
                yield start, start + len(value)
                start = line.find(value, start + 1)
        return
    for pattern in patterns:
        for match in pattern.finditer(line):
            if match.re.groups and match.group(1) and match.start(1) > match.start():
                yield match.span(1)
            else:
                yield match.span()


def find_secrets(line: str) -> tuple[Secret, ...]:
    """Every credential in one line of text, longest first where two overlap.

    A workbook repeats the same short answer in hundreds of cells: short lines are looked at once
    per process. The cache is memory only, and bounded: 1,024 lines of at most 300 characters."""
    return _short_line_secrets(line) if len(line) <= 300 else _find_secrets(line)


@functools.lru_cache(maxsize=1024)
def _short_line_secrets(line: str) -> tuple[Secret, ...]:
    return _find_secrets(line)


def _find_secrets(line: str) -> tuple[Secret, ...]:
    found: list[Secret] = []
    for plugin in _plugins():
        for start, end in _plugin_spans(plugin, line):
            if not is_placeholder(line[start:end]):
                found.append(Secret(start, end, plugin.secret_type))
    for kind, pattern in OWN_TOKENS:
        for match in pattern.finditer(line):
            if not is_placeholder(match.group()):
                found.append(Secret(match.start(), match.end(), kind))
    for match in URL_CREDENTIALS.finditer(line):
        password = match.group(3)
        if not is_placeholder(password) and password.lower() not in ("pass", "pwd", "user", "username"):
            found.append(Secret(match.start(3), match.end(3), f"password in a {match.group(1)} connection string"))
    for match in ASSIGNMENT.finditer(line):
        if match.group(3).startswith("(") or is_placeholder(match.group(3)):
            continue  # "token (e.g. ...)", "Bearer vespa_cloud_...."
        name, value = match.group(1) or match.group(2), _balanced(match.group(3)).rstrip(".:!?")
        if "public" in name.lower():
            continue  # PublicKeyToken=b77a5c561934e089 identifies an assembly; public keys are public
        kind = _kind_for(name)
        strong = looks_like_password(value) if kind == "password" else looks_like_key(value)
        if strong:
            found.append(Secret(match.start(3), match.start(3) + len(value), kind))
    for match in BEARER.finditer(line):
        if looks_like_key(match.group(1)):
            found.append(Secret(match.start(1), match.end(1), "access token"))
    for match in NAMED_KEY.finditer(line):
        value = match.group(1).rstrip(".:!?")
        if looks_like_key(value):
            found.append(Secret(match.start(1), match.start(1) + len(value), _kind_for(match.group())))
    for match in USER_SLASH_PASSWORD.finditer(line):
        value = match.group(1).rstrip(".:!?")
        # "sign in, then open reporting/analytics-dashboards": hyphenated words are a path, not a password
        if looks_like_password(value) and not re.fullmatch(r"[A-Za-z]+(?:[-_.][A-Za-z]+)*", value):
            found.append(Secret(match.start(1), match.start(1) + len(value), "password"))
    for match in DISTANT_USER_PASSWORD.finditer(line):
        value = match.group(1).rstrip(".:!?")
        if looks_like_password(value) and _classes(value) >= 3 and any(c.isdigit() for c in value):
            found.append(Secret(match.start(1), match.start(1) + len(value), "password"))
    for match in PROSE.finditer(line):
        value = match.group(2).rstrip(".:!?")
        if looks_like_password(value):
            found.append(Secret(match.start(2), match.start(2) + len(value), _kind_for(match.group(1))))
    return tuple(_without_overlaps(found))


def _balanced(value: str) -> str:
    """The value without closing parentheses that close nothing in it: "(password: X)" ends at X."""
    while value.endswith(")") and value.count(")") > value.count("("):
        value = value[:-1]
    cut = value.find(")")
    return value if cut < 0 or value.count("(", 0, cut) else value[:cut]


def _without_overlaps(found: list[Secret]) -> list[Secret]:
    kept: list[Secret] = []
    for secret in sorted(found, key=lambda s: (s.start, -(s.end - s.start))):
        if kept and secret.start < kept[-1].end:
            continue
        kept.append(secret)
    return kept


ADVICE = {
    "password": "change the password and remove it from the document",
    "Private Key": "revoke the key pair and remove the key block",
}
# A key block's later paragraphs (Word splits a pasted key into one paragraph per line).
KEY_LINES = re.compile(r"(?:[A-Za-z0-9+/=]+|(?:Proc-Type|DEK-Info|Comment|Version):[^\n]*|\s+)*")
MAX_KEY_PARAGRAPHS = 200


def _line_secrets(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of every credential in the text, line by line, each line read once."""
    line_end = 0
    for candidate in KEYWORDS.finditer(text):
        if candidate.start() < line_end:
            continue  # a line already read
        line_start = max(text.rfind("\n", line_end, candidate.start()),
                         text.rfind("\x00", line_end, candidate.start()), line_end - 1) + 1
        # From the candidate's start (a candidate may itself run past the end of its segment), and
        # within its segment: a view of many short segments (workbook cells) is not scanned end to end.
        segment_end = text.find("\x00", candidate.start())
        segment_end = len(text) if segment_end < 0 else segment_end
        line_end = text.find("\n", candidate.start(), segment_end)
        line_end = segment_end if line_end < 0 else line_end
        for secret in find_secrets(text[line_start:line_end]):
            yield line_start + secret.start, line_start + secret.end, secret.kind


def _key_block(segments: list[Segment], first: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(segment, start, end) pieces of a private key block whose header ends at ``end`` of segment ``first``.

    The block runs to its END line, in the same segment or in the following ones of
    the same scope and part, as long as they read as key lines; all of it is secret.
    """
    text = segments[first].text
    footer = text.find("-----END", end)
    if footer >= 0:
        close = text.find("-----", footer + 8)
        yield first, end, len(text) if close < 0 else close + 5
        return
    yield first, end, len(text)
    scope, part = segments[first].scope, segments[first].part
    for index in range(first + 1, min(len(segments), first + MAX_KEY_PARAGRAPHS)):
        segment = segments[index]
        if (segment.scope, segment.part) != (scope, part):
            continue  # interleaved text of another kind (the visible paragraph beside a deletion)
        footer = segment.text.find("-----END")
        if footer >= 0:
            close = segment.text.find("-----", footer + 8)
            yield index, 0, len(segment.text) if close < 0 else close + 5
            return
        if not KEY_LINES.fullmatch(segment.text):
            return
        yield index, 0, len(segment.text)


def mask_secrets(segments: list[Segment], view: TextView | None = None) -> set[str]:
    """Find every credential in the segments and mask it in place, whatever rules run.

    Each secret's span goes into its segment's ``secrets`` with the message to report ("" for
    the same secret written again elsewhere, None for the later pieces of a key block, which
    show no first characters), and its characters in the text become
    MASK_CHAR except the first few, so no rule ever reads, quotes or matches a secret. Returns
    the secrets as written, for the few texts a reader derived from the document elsewhere.
    ``view``, the segments' view if the caller has it; its text is stale once anything was masked.
    """
    view = TextView(segments) if view is None else view
    found: dict[int, list[tuple[int, int, str | None]]] = {}
    for start, end, kind in _line_secrets(view.text):
        index = bisect.bisect_right(view.starts, start) - 1
        base = view.starts[index]
        message = f"Possible {kind}: {ADVICE.get(kind, 'rotate it and remove it from the document')}."
        if kind == "Private Key":
            found.setdefault(index, []).append((start - base, end - base, message))
            for piece, piece_start, piece_end in _key_block(segments, index, end - base):
                found.setdefault(piece, []).append((piece_start, piece_end, None))
        else:
            found.setdefault(index, []).append((start - base, end - base, message))
    _elsewhere(view, found)
    raw: set[str] = set()
    for index, spans in found.items():
        segment = segments[index]
        merged: list[list] = []
        for start, end, message in sorted(spans, key=lambda s: (s[0], s[2] is None)):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2] = merged[-1][2] or message
            else:
                merged.append([start, end, message])
        segment.secrets = tuple((start, end, message) for start, end, message in merged)
        raw.update(segment.text[start:end] for start, end, _ in merged)
        segment.text = redact.masked(segment.text, [(start, end, message is not None)
                                                    for start, end, message in merged])
    return raw


MIN_REPEATED = 8  # a shorter secret is masked only where it was detected: it may be an ordinary word


def _elsewhere(view: TextView, found: dict[int, list[tuple[int, int, str | None]]]) -> None:
    """Adds every other place a detected secret is written (a key named again in a heading, where
    no detector would see it) as a span to mask: one pass over the text, whatever the number of secrets."""
    values = {view.segments[index].text[start:end] for index, spans in found.items() for start, end, _ in spans}
    values = {value for value in values if len(value) >= MIN_REPEATED}
    if not values:
        return
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for value in values:
        automaton.add_word(value, len(value))
    automaton.make_automaton()
    for last, length in automaton.iter(view.text):
        start = last - length + 1
        index = bisect.bisect_right(view.starts, start) - 1
        base = view.starts[index]
        if last + 1 - base <= len(view.segments[index].text):  # within one segment
            found.setdefault(index, []).append((start - base, last + 1 - base, ""))  # masked, not reported


class SecretRule:
    """Reports what ``mask_secrets`` found: detection runs for every document, reporting only here."""

    info = INFO

    def __init__(self, config: Config, options: dict):
        pass

    def warm_up(self) -> None:
        _plugins()

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        for segment, base in zip(view.segments, view.starts, strict=True):
            for start, end, message in segment.secrets:
                if message:
                    yield Hit(base + start, base + end, message, secret=True)
