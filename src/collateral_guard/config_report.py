"""`collateral-guard config [PATH]`: the configuration in effect for a path, in words; `--check` validates it."""

from __future__ import annotations

from collateral_guard.config import Config
from collateral_guard.config_discovery import ENVIRONMENT, Configs, user_config_path
from collateral_guard.errors import FatalError


def describe(configs: Configs, path: str) -> list[str]:
    source, how = configs.source(path)
    if source is None:
        return [f"configuration for {path}: none found",
                f"  looked for: --config, {ENVIRONMENT}, .collateral-guard.toml or [tool.collateral-guard] in "
                f"pyproject.toml from {path} up, {user_config_path()}",
                "  create one with `collateral-guard init`"]
    config = configs.for_path(path)
    customers = config.customers.values()
    public = sum(c.public_reference for c in customers)
    lines = [f"configuration for {path}:",
             f"  file: {source} ({how})"]
    lines += [
        f"  vendor: {_listing(config.vendor.names)}"
        + (f" (domains {', '.join(config.vendor.domains)})" if config.vendor.domains else ""),
        f"  customers: {len(config.customers)} ({public} public reference{'s' if public != 1 else ''})",
        f"  competitors: {len(config.competitors)}",
        f"  customer paths: {_listing(f'{g} = {c}' for g, c in config.customer_paths.items())}",
        f"  internal domains: {_listing(config.internal_domains)}",
        f"  glossary (jargon): {len(config.jargon)} term{'s' if len(config.jargon) != 1 else ''}",
        f"  vocabulary: {len(config.vocabulary_words())} words"
        + (f" (file {config.vocabulary_file})" if config.vocabulary_file else ""),
        f"  rule overrides: {_listing(_override(name, table) for name, table in config.rules.items())}",
        f"  rule packs: {_listing(str(p) for p in config.rule_packs)}",
        f"  exclude: {_listing(config.exclude)}",
        f"  baseline: {_baseline(config)}",
    ]
    return lines


def check(configs: Configs, path: str) -> str:
    """Everything a check run would validate, without scanning; raises FatalError on the first problem."""
    from collateral_guard.baseline import Baseline
    from collateral_guard.rules.registry import active_rules

    source, _ = configs.source(path)
    if source is None:
        raise FatalError(f"no configuration found for {path} (create one with `collateral-guard init`)")
    config = configs.for_path(path)
    active_rules(config)  # rule names, options and rule packs
    if config.baseline:
        if not config.baseline.is_file():
            raise FatalError(f"{source}: baseline '{config.baseline}' does not exist")
        Baseline.load(config.baseline)
    try:
        config.vocabulary_words()
    except (OSError, UnicodeDecodeError) as error:
        raise FatalError(f"{config.vocabulary_file}: cannot read the vocabulary file: {error}") from None
    return f"{source}: ok"


def _listing(items) -> str:
    items = list(items)
    return ", ".join(items) if items else "none"


def _override(name: str, table: dict) -> str:
    return f"{name} (" + ", ".join(f"{k}={v!r}".replace("'", '"') for k, v in table.items()) + ")"


def _baseline(config: Config) -> str:
    if config.baseline is None:
        return "none"
    return str(config.baseline) + ("" if config.baseline.is_file() else " (missing)")
