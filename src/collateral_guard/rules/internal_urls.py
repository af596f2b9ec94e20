"""Internal infrastructure: internal hosts and URLs, private IP addresses, file shares, shortlinks.

Public by definition, never flagged: the documentation address ranges
(RFC 5737, RFC 3849), the example and test names (RFC 2606, RFC 6761), and
loopback as used in install instructions (unless ``allow-loopback = false``).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Iterator

from collateral_guard.config import Config
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.rules.regex import compile_re2, escape
from collateral_guard.segments import EVERYTHING, TextView

INFO = RuleInfo(
    id="internal-address",
    category="internal-url",
    severity="error",
    summary="Internal host, URL, private IP address, file share or go-link.",
    description=(
        "Finds hosts equal to or under the configured `internal-domains`; hosts under names that "
        "never resolve publicly (.internal, .local, .corp, .lan, .intranet, .private, .home.arpa, "
        ".localdomain) or with an internal label (wiki.corp.acme.com); private, link-local, "
        "carrier-grade NAT and unique-local IPv4 and IPv6 addresses, with ports and CIDR "
        "notation; UNC paths (\\\\server\\share); file:// URLs; go-links (go/page); and links into "
        "internal collaboration sites (SharePoint sites, Teams) as errors. Links into "
        "workspaces of hosted tools are warnings: Google Docs, Sheets, Slides and Drive, Salesforce "
        "(Lightning, my.salesforce.com), the HubSpot app, Looker, the AWS, Google Cloud and Azure "
        "consoles, Asana, Notion, Jira and Confluence Cloud, Slack archives and meeting recordings "
        "(Zoom, Gong, Chorus), whatever the length of the document or record id in them (shortened ids "
        "too); published Google documents (/d/e/...) and stand-ins for an id (d/SPREADSHEET_ID) are public. Hosts under the [vendor] domains are never internal. It reads visible text, code, link targets and image sources: a "
        "harmless link text over an internal target is caught at the target. Documentation "
        "ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32), example.com, "
        ".example, .test, .invalid and loopback are not internal. Link to public documentation "
        "instead."
    ),
    bad=(
        "See the [sizing sheet](https://wiki.corp.acme.io/se/sizing) for details.",
        "The collector listens on 10.20.4.17:8443.",
        "Templates are on `\\\\fs01\\sales\\templates`.",
        "Background: go/pricing-faq",
        "Pricing model: https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWx/edit (a warning)",
        "Plan: https://docs.google.com/document/d/1xQ7pLr_HF114plan/edit (a shortened id is still a document)",
        "Point the agent at `metrics.prod.internal`.",
        "Allow fd12:3456:789a::/48 through the firewall.",
    ),
    good=(
        "Point the agent at `https://api.example.com` or 192.0.2.10.",
        "Run `curl http://localhost:8080/health` to check the service.",
        "Upgrade to version 10.0.1 before you begin.",
        "We reached a go/no-go decision in week two.",
        "Use the documentation prefix 2001:db8::/32 in examples.",
        "Read the published brief at https://docs.google.com/document/d/e/2PACX-1vQx7/pub.",
        "Call the API on https://docs.google.com/spreadsheets/d/SPREADSHEET_ID/edit.",
    ),
    scopes=EVERYTHING,
)

NON_PUBLIC_SUFFIXES = ("internal", "local", "corp", "lan", "intranet", "private", "localdomain", "home.arpa")
INTERNAL_LABELS = frozenset({"internal", "intranet", "corp", "corpnet"})
PUBLIC_EXAMPLES = ("example.com", "example.net", "example.org", "example", "test", "invalid", "localhost")
LABELS = r"(?i:[a-z0-9][a-z0-9-]*\.)"  # unbounded repetition keeps RE2's automaton small
# Earlier alternatives win at the same position: configured domains, then an internal
# label inside a longer name, then a non-public suffix (written in lower case: in code,
# Foo.Local is a property, not a host).
LABELLED_HOST = LABELS + r"*(?i:internal|intranet|corp|corpnet)\." + LABELS + r"+(?i:[a-z]{2,})\b"
SUFFIXED_HOST = LABELS + r"+(?:internal|local|corp|lan|intranet|private|localdomain|home\.arpa)\b"
IPV4 = compile_re2(r"\b(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2}\b)?(?::\d{1,5}\b)?")
IPV6 = compile_re2(r"(?i)(?:\b(?:f[cd][0-9a-f]{0,2}|fe[89ab][0-9a-f]):[0-9a-f:]*[0-9a-f:](?:/\d{1,3})?|::1\b)")
# Two leading backslashes (a single one is a relative Windows path); separators may be
# doubled, as Word field codes escape backslashes ("\\\\\\\\server\\\\share").
UNC = compile_re2(r"\\{2,4}[A-Za-z0-9][\w.$-]*\\{1,2}[\w.$ -]*[\w$]")
# Markdown renders the escape \\ as one backslash, so \\fs02\share written in a Markdown
# paragraph reads \fs02\share: taken as a share when the first name looks like a server's
# (a digit, hyphen or dot in it) and two more names follow; \Users\bob\Desktop is a local path.
ESCAPED_UNC = compile_re2(r"\\[A-Za-z0-9]*[0-9.-][\w.-]*\\[\w.$-]+\\[\w.$ -]*[\w$]")
URL_TAIL = r"[^\s)>\]\"'`\x00]"  # up to the end of a URL as written in text
FILE_URL = compile_re2(r"(?i)\bfile:/{2,3}" + URL_TAIL + "+")
GO_LINK = compile_re2(r"(?i)\b(?:https?://)?go/[a-z0-9][\w./-]*")
COLLABORATION = compile_re2(
    r"(?i)\b[\w-]+(?:-my)?\.sharepoint\.com/(?:sites|teams|personal|:[a-z]:)" + URL_TAIL + "*"
    r"|\bteams\.microsoft\.com/l/" + URL_TAIL + "*"
)
# Links into a company's own workspace in a hosted tool: the host is public, the page is not. A warning,
# since a document shared with "anyone with the link" is sometimes meant for the customer. Published
# Google documents (/d/e/...), forms, "Deploy to Azure" and Cloud Shell buttons are public by design.
WORKSPACES = (
    # A real document id has 44 characters; writers and sample documents shorten it ("d/1xQ7pLr_plan").
    # A Google Workspace domain's form (docs.google.com/a/acme.com/document/d/...) is the same link.
    ("Google Docs, Sheets or Slides", r"docs\.google\.com/(?:a/[\w.-]+/)?(?:document|spreadsheets|presentation|drawings)/"
                                      r"(?:u/\d/)?d/[\w-]{6}"),
    ("Google Drive", r"drive\.google\.com/(?:drive|file|open|folders|u/)"),
    # A record id starts with its object's three-character prefix (006, 00O, a6l): a shortened one is still a record.
    ("Salesforce", r"[\w-]+\.(?:lightning\.force\.com|my\.salesforce\.com)|"
                   r"[\w-]+\.salesforce\.com/(?:lightning|(?:\d{3}|[a-z]\d[a-z0-9])\w{3,}\b)"),
    ("HubSpot", r"app(?:-[a-z]{2}\d)?\.hubspot\.com/"),  # every data centre: app-eu1, app-na2
    ("Looker", r"[\w-]+\.(?:cloud\.)?looker\.com/(?:dashboards|looks|explore|browse|folders)"),
    ("AWS console", r"(?:[\w-]+\.)?console\.aws\.amazon\.com"),
    ("Google Cloud console", r"console\.cloud\.google\.com/(?:home|iam|compute|kubernetes|storage|bigquery|sql|logs|"
                             r"monitoring|billing|apis|security|run|functions|projectselector)"),
    ("Azure portal", r"portal\.azure\.com/?(?:#@|#blade|#view|#resource|$|[\s)])"),
    ("Asana", r"app\.asana\.com/"),
    ("Notion", r"(?:www\.)?notion\.so/[\w-]"),
    ("Jira or Confluence Cloud", r"[\w-]+\.atlassian\.net/(?:wiki|browse|jira|secure|jira/software)"),
    ("Slack", r"[\w-]+\.slack\.com/archives|app\.slack\.com/client"),
    ("meeting recording", r"(?:[\w-]+\.)?zoom\.us/rec/|app\.gong\.io/call|(?:[\w-]+\.)?chorus\.ai/meeting|"
                          r"(?:app\.)?fireflies\.ai/view|otter\.ai/u/"),
)
# A documentation stand-in for an id, not a document: d/SPREADSHEET_ID, d/your-doc-id, d/xxxxxx
PLACEHOLDER_ID = re.compile(r"/d/(?:[A-Z_]+(?:[/?#]|$)|[\w-]*(?i:your|example|placeholder|xxxx))")
WORKSPACE = compile_re2("(?i)" + "|".join(f"(?P<w{i}>\\b(?:{pattern}){URL_TAIL}*)"
                                          for i, (_, pattern) in enumerate(WORKSPACES)))
INTERNAL_V4 = {
    ipaddress.ip_network("10.0.0.0/8"): "private",
    ipaddress.ip_network("172.16.0.0/12"): "private",
    ipaddress.ip_network("192.168.0.0/16"): "private",
    ipaddress.ip_network("169.254.0.0/16"): "link-local",
    ipaddress.ip_network("100.64.0.0/10"): "carrier-grade NAT",
}
LOOPBACK_V4 = ipaddress.ip_network("127.0.0.0/8")
VERSION_BEFORE = re.compile(r"(?i)(?:version|ver\.?|v|build|release|firmware|update|kb)\s*$")


class InternalUrlRule:
    info = INFO

    def __init__(self, config: Config, options: dict):
        self.allow_loopback = config.allow_loopback
        self.vendor = config.vendor
        # The vendor's public domain is never internal; a configured subdomain of it (corp.acme.io) still is.
        self.domains = tuple(d for d in config.internal_domains if d not in config.vendor.domains)
        configured = [LABELS + r"*(?i:" + "|".join(escape(d) for d in self.domains) + r")\b"] if self.domains else []
        self.host_pattern = compile_re2(r"\b(?:" + "|".join([*configured, LABELLED_HOST, SUFFIXED_HOST]) + ")")

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        """Each internal thing once: a host inside a UNC path or a collaboration link is not reported again."""
        outer_end = -1
        for hit in sorted(self._hits(view), key=lambda h: (h.start, -h.end)):
            if hit.end <= outer_end:
                continue
            outer_end = max(outer_end, hit.end)
            yield hit

    def _hits(self, view: TextView) -> Iterator[Hit]:
        text = view.text
        yield from self._hosts(text)
        yield from self._ipv4(text)
        yield from self._ipv6(text)
        # Each pattern below needs a backslash or a slash: a text without one (a questionnaire's answers) is
        # not scanned for it, as a scan of a 10 MB text costs 10 ms.
        shares = (*UNC.finditer(text), *ESCAPED_UNC.finditer(text)) if "\\" in text else ()
        links = "/" in text
        for match in shares:
            # A drive letter before it (C:\\Users\\...) makes it a local path, not a share.
            if _starts_token(text, match.start()) and text[match.start() - 1:match.start()] not in (":", "\\"):
                yield Hit(match.start(), match.end(), "UNC path to an internal file share: share the file "
                                                      "itself or link to a public copy.")
        for match in FILE_URL.finditer(text) if links else ():
            yield Hit(match.start(), match.end(), "file:// URL points into someone's machine or network: "
                                                  "link to a public copy instead.")
        for match in GO_LINK.finditer(text) if links else ():
            value = match.group().lower()
            if _starts_token(text, match.start()) and not re.match(r"(?:https?://)?go/no[- ]?go\b", value):
                yield Hit(match.start(), match.end(), "go-link (internal shortlink): customers cannot open it; "
                                                      "link to public documentation instead.")
        for match in COLLABORATION.finditer(text) if links else ():
            yield Hit(match.start(), match.end(), "Link into an internal collaboration site: customers cannot "
                                                  "open it; attach the content or link to a public copy.")
        for match in WORKSPACE.finditer(text):
            tool = WORKSPACES[int(match.lastgroup[1:])][0]
            if PLACEHOLDER_ID.search(match.group()):
                continue
            yield Hit(match.start(), match.end(), f"Link into a {tool} workspace: customers usually cannot open "
                                                  "it; attach the content or link to a public copy.",
                      severity="warning")

    def _hosts(self, text: str) -> Iterator[Hit]:
        for match in self.host_pattern.finditer(text):
            end = match.end()
            if end < len(text) and (text[end] == "-" or (text[end] == "." and end + 1 < len(text)
                                                             and text[end + 1].isalnum())):
                continue  # part of a longer name: System.Private.CoreLib
            host = match.group().lower()
            reason = self._host_reason(host, match.group())
            if reason:
                yield Hit(match.start(), end, f"Host {match.group()} is {reason}: customers cannot reach it; "
                                              "link to public documentation instead.")

    def _host_reason(self, host: str, written: str) -> str | None:
        # A configured domain is the user's word and wins even under a documentation name
        # (corp.acme.example): realistic sample collateral is written on those.
        for domain in self.domains:
            if host == domain or host.endswith("." + domain):
                return f"under internal domain {domain}"
        if any(host == e or host.endswith("." + e) for e in PUBLIC_EXAMPLES):
            return None
        if self.vendor.owns_host(host):
            return None
        labels = host.split(".")
        for suffix in NON_PUBLIC_SUFFIXES:
            if host.endswith("." + suffix) and written.rsplit(".", 1)[-1].islower():
                return f"under .{suffix}, which never resolves publicly"
        if len(labels) >= 3 and INTERNAL_LABELS & set(labels[:-2]):
            return "an internal host name"
        return None

    def _ipv4(self, text: str) -> Iterator[Hit]:
        for match in IPV4.finditer(text):
            start, end = match.start(), match.end()
            if (start and text[start - 1] in ".-") or text[end:end + 2].rstrip()[:2].startswith(".") and \
                    text[end + 1:end + 2].isdigit():
                continue
            if VERSION_BEFORE.search(text[max(0, start - 12):start]):
                continue
            address = re.split(r"[/:]", match.group())[0]
            try:
                ip = ipaddress.IPv4Address(address)
            except ValueError:
                continue
            kind = next((k for net, k in INTERNAL_V4.items() if ip in net), None)
            if kind is None and ip in LOOPBACK_V4 and not self.allow_loopback:
                kind = "loopback"
            if kind:
                yield Hit(start, end, f"{kind.capitalize()} IP address {match.group()}: it reveals internal "
                                      "network layout; use a documentation address (192.0.2.0/24) instead.")

    def _ipv6(self, text: str) -> Iterator[Hit]:
        for match in IPV6.finditer(text):
            value = match.group()
            if value == "::1" and self.allow_loopback:
                continue
            try:
                network = ipaddress.ip_network(value, strict=False)
            except ValueError:
                continue
            address = network.network_address
            if address.is_link_local:
                kind = "link-local"
            elif address in ipaddress.ip_network("fc00::/7"):
                kind = "unique-local"
            elif address.is_loopback:
                kind = "loopback"
            else:
                continue
            yield Hit(match.start(), match.end(), f"{kind.capitalize()} IPv6 address {value}: use the "
                                                  "documentation prefix 2001:db8::/32 instead.")


def _starts_token(text: str, start: int) -> bool:
    return start == 0 or text[start - 1].isspace() or text[start - 1] in "\x00([\"'`<:*_"
