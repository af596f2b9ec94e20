"""The explicit list of rules, and the configuration that enables, tunes and re-grades them."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

from collateral_guard.config import Config
from collateral_guard.errors import FatalError
from collateral_guard.findings import CATEGORIES, SEVERITIES
from collateral_guard.rules import (
    competitor, empty_sections, hidden_content, internal_urls, metadata, nda, readability, secrets, spelling,
)
from collateral_guard.rules.base import Rule, RuleInfo
from collateral_guard.rules.packs import PatternRule, build_rule, load_pack

# Rules written in Python, because data cannot express them. Each module has INFO
# (its documentation) and a class taking (config, options).
PYTHON_RULES = (
    (secrets.INFO, secrets.SecretRule),
    (internal_urls.INFO, internal_urls.InternalUrlRule),
    (nda.INFO, nda.CustomerReferenceRule),
    (spelling.INFO, spelling.SpellingRule),
    (readability.SECTION_INFO, readability.SectionReadabilityRule),
    (readability.DOCUMENT_INFO, readability.DocumentReadabilityRule),
    (readability.SENTENCE_INFO, readability.LongSentenceRule),
    (hidden_content.INFO, hidden_content.HiddenContentRule),
    (hidden_content.SPEAKER_NOTES_INFO, hidden_content.SpeakerNotesRule),
    (metadata.INFO, metadata.MetadataRule),
    (competitor.NEGATIVE_INFO, competitor.NegativeClaimRule),
    (competitor.COMPARISON_INFO, competitor.ComparisonRule),
    (competitor.DISPARAGEMENT_INFO, competitor.DisparagementRule),
    (competitor.STALE_INFO, competitor.StaleComparisonRule),
    (empty_sections.INFO, empty_sections.EmptySectionRule),
    (empty_sections.MISSING_INFO, empty_sections.MissingAnswerRule),
)

GLOSSARY_RULE = {
    "kind": "substitution",
    "category": "jargon",
    "severity": "warning",
    "summary": "A term from your glossary ([jargon] in the configuration), with its public wording.",
    "description": (
        "Codenames and internal terms listed in the [jargon] table of the configuration, "
        "each with the wording to use in customer-facing text (\"\" when there is none)."
    ),
    "message": "Internal term '{match}': use the public wording.",
    "examples": {"bad": ["Project Falcon ships the new dashboards."],
                 "good": ["The analytics module ships the new dashboards."]},
}
GLOSSARY_EXAMPLE = {"Project Falcon": "the analytics module"}
RULE_SETTINGS = {"enabled": bool, "severity": str}


def packs_folder() -> Path:
    """rules/ ships in the wheel as collateral_guard/packs; a source checkout reads it in place."""
    installed = Path(__file__).resolve().parents[1] / "packs"  # not importlib.resources: 10 ms of imports
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[3] / "rules"


@functools.cache
def builtin_packs() -> tuple[PatternRule, ...]:
    rules: list[PatternRule] = []
    for path in sorted(packs_folder().glob("*.yml")):
        rules.extend(load_pack(path, f"rules/{path.name}"))
    return tuple(rules)


def glossary_rule(jargon: dict[str, str]) -> PatternRule:
    """The user's glossary as a substitution rule; with no glossary, an example one for the docs."""
    from collateral_guard.rules.regex import escape

    swap = {escape(term): replacement for term, replacement in (jargon or GLOSSARY_EXAMPLE).items()}
    return build_rule("glossary-term", {**GLOSSARY_RULE, "swap": swap}, {}, "config [jargon]")


def documented_rules(config: Config) -> list[RuleInfo]:
    """Every rule's documentation, built-in and from the config's own rule packs."""
    infos = [rule.info for rule in builtin_packs()]
    for path in config.rule_packs:
        infos.extend(rule.info for rule in load_pack(path))
    infos.append(glossary_rule({}).info)
    infos.extend(info for info, _ in PYTHON_RULES)
    return infos


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    severity: str


def active_rules(config: Config, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> list[ActiveRule]:
    """The rules to run, configured, after --select/--ignore (rule ids or categories)."""
    pack_rules: list[PatternRule] = list(builtin_packs())
    for path in config.rule_packs:
        pack_rules.extend(load_pack(path))
    if config.jargon:
        pack_rules.append(glossary_rule(config.jargon))
    infos = {rule.info.id: rule.info for rule in pack_rules}
    infos.update({info.id: info for info, _ in PYTHON_RULES})
    infos.setdefault("glossary-term", glossary_rule({}).info)
    _check_names(select + ignore, infos, "--select/--ignore")
    settings = _settings(config, infos)

    chosen: list[ActiveRule] = []
    candidates: list[tuple[RuleInfo, object]] = [(r.info, r) for r in pack_rules]
    candidates += [(info, factory) for info, factory in PYTHON_RULES]
    for info, rule_or_factory in candidates:
        own = {**settings.get(info.category, {}), **settings.get(info.id, {})}
        wanted = own.get("enabled", True)
        if select:
            wanted = info.id in select or info.category in select
        if info.id in ignore or info.category in ignore:
            wanted = False
        if not wanted:
            continue
        if isinstance(rule_or_factory, PatternRule):
            rule = rule_or_factory
        else:
            options = {**info.options, **{k: v for k, v in own.items() if k in info.options}}
            rule = rule_or_factory(config, options)
        chosen.append(ActiveRule(rule, own.get("severity", info.severity)))
    return chosen


def _check_names(names, infos: dict[str, RuleInfo], where: str) -> None:
    for name in names:
        if name not in infos and name not in CATEGORIES:
            from difflib import get_close_matches

            close = get_close_matches(name, [*infos, *CATEGORIES], n=1, cutoff=0.6)
            hint = f": did you mean '{close[0]}'?" if close else ""
            raise FatalError(f"{where}: unknown rule or category '{name}'{hint} (see `collateral-guard rules`)")


def _settings(config: Config, infos: dict[str, RuleInfo]) -> dict[str, dict]:
    """[rules.X] tables, validated: X is a rule id or category; keys are settings or the rule's options."""
    where = config.path or "config"
    for name, table in config.rules.items():
        if name not in infos and name not in CATEGORIES:
            raise FatalError(f"{where}: unknown rule or category 'rules.{name}'")
        # A category's table may set any option of a rule in that category.
        options = infos[name].options if name in infos else \
            {k: v for i in infos.values() if i.category == name for k, v in i.options.items()}
        for key, value in table.items():
            if key in RULE_SETTINGS:
                expected = RULE_SETTINGS[key]
            elif key in options:
                expected = type(options[key])
            else:
                allowed = ", ".join(sorted([*RULE_SETTINGS, *options]))
                raise FatalError(f"{where}: unknown key 'rules.{name}.{key}' (allowed: {allowed})")
            if expected is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
                table[key] = value
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise FatalError(f"{where}: key 'rules.{name}.{key}' must be {expected.__name__}")
            if expected in (int, float) and not (math.isfinite(value) and value >= 0):
                raise FatalError(f"{where}: key 'rules.{name}.{key}' must be a finite number, not negative")
            if key == "severity" and value not in SEVERITIES:
                raise FatalError(f"{where}: key 'rules.{name}.severity' must be one of {', '.join(SEVERITIES)}")
    return config.rules
