"""Document properties that reveal who wrote a document, where, and from what."""

from __future__ import annotations

import re
from typing import Iterator

from collateral_guard.config import Config
from collateral_guard.lazy_re import LazyPattern
from collateral_guard.rules.base import DocumentFacts, Hit, RuleInfo
from collateral_guard.segments import PROPERTY, TextView

INFO = RuleInfo(
    id="revealing-metadata",
    category="metadata",
    severity="warning",
    summary="Document property that reveals internal information (author, company, template path...).",
    description=(
        "Word, PowerPoint and Excel keep the author and the last editor's names, the company and "
        "manager, the template it was made from (often a path on an internal file share) and custom properties, and "
        "sends them with the file. Personal names, company and manager fields, template paths on "
        "network shares or internal hosts, and custom properties are reported. The author's own "
        "name (Author, Last Modified By) is info, not a warning. The vendor's own company name "
        "([vendor] names) in Company is not reported. Internal hosts, paths, other customers and "
        "jargon in properties stay errors of their own rules. Clear properties with File > Info > "
        "Inspect Document > Document Properties and Personal Information, or write a copy without "
        "them with `collateral-guard clean FILE --output COPY`."
    ),
    bad=("[property Author: Jane Doe]", "[property Company: Northwind Sales EMEA]",
         "[template: \\\\fs01.corp.acme.io\\templates\\rfp.dotx]", "[custom property Deal stage: negotiation]"),
    good=("[property Author: python-docx]", "[property Title: Solution brief]", "[template: Normal.dotm]"),
    scopes=frozenset({PROPERTY}),
    example_format="docx",
)
PEOPLE = ("Author", "Last Modified By")
ORGANISATION = ("Company", "Manager")
TEMPLATES = ("Template", "Attached Template", "Hyperlink Base")
# Names tools write when nobody is named: not personal.
GENERIC_AUTHORS = LazyPattern(
    r"(?i)^(?:python-docx|python-pptx|openpyxl|docx4j|apache poi|microsoft office user|office user|user|author|admin|"
    r"administrator|owner|windows user|unknown|anonymous|libreoffice|openoffice|pages|google docs)$")
NETWORK_PATH = LazyPattern(r"^\\\\|^(?:file|https?)://|^[A-Za-z]:\\(?:users|documents and settings)\\|^/(?:users|home)/",
                          re.IGNORECASE)


class MetadataRule:
    info = INFO

    def __init__(self, config: Config, options: dict):
        self.vendor_names = {name.lower() for name in config.vendor.names}

    def check(self, view: TextView, facts: DocumentFacts) -> Iterator[Hit]:
        for segment, base in zip(view.segments, view.starts, strict=True):
            label, value = segment.label or "", segment.text.strip()
            message = None
            severity = None
            if label in PEOPLE and not GENERIC_AUTHORS.match(value):
                message = f"Document property {label} names a person ('{value}')"
                severity = "info"  # the author's own name: expected, and `clean` removes it
            elif label in ORGANISATION and value.lower() in self.vendor_names:
                continue
            elif label in ORGANISATION:
                message = f"Document property {label} is set ('{value}')"
            elif label in TEMPLATES and NETWORK_PATH.search(value):
                message = f"Document property {label} points to an internal location ('{value}')"
            elif label.startswith("Custom: "):
                message = f"Custom document property '{label[8:]}' is set ('{value}')"
            if message:
                yield Hit(base, base + len(segment.text),
                          message + ": clear it with Inspect Document or `collateral-guard clean` before sending.",
                          severity=severity)
