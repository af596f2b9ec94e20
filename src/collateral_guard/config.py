"""Configuration: where it is found, what keys it may hold, and their types.

Where a file is found (``--config``, the environment, walking up, the user's own
file) is config_discovery's job; ``find_config`` is the walk up.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path

from collateral_guard.errors import FatalError
from collateral_guard.readers import MAX_CELLS

CONFIG_NAME = ".collateral-guard.toml"
# Configuration, rule packs and customer files are read whole: bounded, so that a peak stays
# under 500 MB (docs/security.md). A CRM export of 100,000 accounts is about 10 MB.
MAX_CONFIG_BYTES = 16 * 2**20
MAX_VOCABULARY_BYTES = 8 * 2**20  # about 700,000 words


@dataclass(frozen=True)
class Customer:
    id: str
    names: tuple[str, ...]
    domains: tuple[str, ...] = ()
    public_reference: bool = False
    case_sensitive: bool | None = None  # None: decided per name (common words match case-sensitively)
    exclusions: tuple[str, ...] = ()  # phrases with its name that do not mean the customer ("Contoso Cloud")


@dataclass(frozen=True)
class Vendor:
    """The vendor writing the documents: its own names and web domains ([vendor] in the configuration)."""

    names: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()

    def owns_host(self, host: str) -> bool:
        host = host.lower().strip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)


@dataclass(frozen=True)
class Competitor:
    id: str
    names: tuple[str, ...]
    products: tuple[str, ...] = ()  # its products count as naming it
    case_sensitive: bool | None = None  # as for customers


@dataclass
class Config:
    path: Path | None = None  # the file it came from, if any
    internal_domains: tuple[str, ...] = ()
    allow_loopback: bool = True
    vocabulary: tuple[str, ...] = ()
    vocabulary_file: Path | None = None
    customers: dict[str, Customer] = field(default_factory=dict)
    customer_paths: dict[str, str] = field(default_factory=dict)
    competitors: dict[str, Competitor] = field(default_factory=dict)
    jargon: dict[str, str] = field(default_factory=dict)
    rules: dict[str, dict] = field(default_factory=dict)  # rule id or category -> settings
    rule_packs: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    vendor: Vendor = field(default_factory=Vendor)
    warnings: list[str] = field(default_factory=list)  # problems that do not stop a run, shown on stderr
    baseline: Path | None = None  # the team's baseline, used by check without --baseline
    max_cells: int = MAX_CELLS  # cells with text read from one workbook

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def customer_for_path(self, path: str) -> str | None:
        """The target customer a ``customer-paths`` rule gives this file, if any."""
        if not self.customer_paths:  # resolving two paths per file costs more than every pattern rule
            return None
        try:
            relative = Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            relative = Path(path).as_posix()
        for pattern, customer in self.customer_paths.items():
            if fnmatch.fnmatch(relative, pattern):
                return customer
        return None

    def check_customer(self, customer_id: str, where: str) -> None:
        if customer_id not in self.customers:
            known = ", ".join(sorted(self.customers)) or "none configured"
            raise FatalError(f"unknown customer id '{customer_id}' in {where} (known: {known})")

    def vocabulary_words(self) -> frozenset[str]:
        words = set(self.vocabulary)
        if self.vocabulary_file and self.vocabulary_file.is_file():
            text = read_text(self.vocabulary_file, "vocabulary file", MAX_VOCABULARY_BYTES)
            words.update(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))
        return frozenset(words)


def _list_of_str(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _table_of_str(value) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


# key -> (check, what it must be)
TOP_LEVEL = {
    "internal-domains": (lambda v: _list_of_str(v) and all(d.strip(" .") for d in v),
                         "a list of domain names (none empty)"),
    "allow-loopback": (lambda v: isinstance(v, bool), "true or false"),
    "vocabulary": (_list_of_str, "a list of strings"),
    "vocabulary-file": (lambda v: isinstance(v, str), "a path"),
    "customers": (lambda v: isinstance(v, dict), "a table of customer tables"),
    "customers-file": (lambda v: isinstance(v, str), "a path"),
    "customer-paths": (_table_of_str, "a table of glob = customer id"),
    "competitors": (lambda v: isinstance(v, dict) or _list_of_str(v),
                    "a table of competitor tables or a list of names"),
    "competitors-file": (lambda v: isinstance(v, str), "a path"),
    "jargon": (_table_of_str, 'a table of term = "public wording"'),
    "rules": (lambda v: isinstance(v, dict) and all(isinstance(t, dict) for t in v.values()),
              "a table of rule tables"),
    "rule-packs": (_list_of_str, "a list of paths"),
    "exclude": (_list_of_str, "a list of glob patterns"),
    "vendor": (lambda v: isinstance(v, dict), "a table with names and domains"),
    "baseline": (lambda v: isinstance(v, str), "a path"),
    "max-cells": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0, "a positive whole number"),
}
VENDOR_KEYS = {
    "names": (_list_of_str, "a list of strings"),
    "domains": (_list_of_str, "a list of strings"),
}
CUSTOMER_KEYS = {
    "names": (_list_of_str, "a list of strings"),
    "domains": (_list_of_str, "a list of strings"),
    "public-reference": (lambda v: isinstance(v, bool), "true or false"),
    "case-sensitive": (lambda v: isinstance(v, bool), "true or false"),
    "exclusions": (_list_of_str, "a list of strings"),
}
COMPETITOR_KEYS = {
    "names": (_list_of_str, "a list of strings"),
    "products": (_list_of_str, "a list of strings"),
    "case-sensitive": (lambda v: isinstance(v, bool), "true or false"),
}


def find_config(start: Path) -> Path | None:
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if own.is_file():
            return own
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "tool" in _read_toml(pyproject) and \
                "collateral-guard" in _read_toml(pyproject)["tool"]:
            return pyproject
    return None


def read_text(path: Path, what: str, limit: int = MAX_CONFIG_BYTES) -> str:
    """A UTF-8 file (a byte-order mark is allowed), or a FatalError naming it."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise FatalError(f"{path}: cannot read {what}: {error.strerror}") from None
    if len(data) > limit:
        raise FatalError(f"{path}: {what} larger than {limit // 2**20} MB: refused")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FatalError(f"{path}: {what} is not UTF-8 (byte {error.start}): save it as UTF-8") from None


def _read_toml(path: Path) -> dict:
    import tomllib  # here: a one-file check with no TOML to read does not load the parser

    try:
        return tomllib.loads(read_text(path, "config"))
    except tomllib.TOMLDecodeError as error:
        raise FatalError(f"{path}: invalid TOML: {error}") from None


def load_yaml(text: str, label: str):
    """YAML as plain data, built from the parser's events: no aliases (an alias bomb is refused before
    it expands), no duplicate keys, and no node graph in memory (a 100,000-row file stays small)."""
    import yaml
    from yaml.constructor import SafeConstructor

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolver = yaml.resolver.Resolver()
    constructor = SafeConstructor()
    missing = object()
    stack: list[list] = []  # [container being built, the key waiting for its value]
    documents: list = []

    def fail(event, message: str):
        raise FatalError(f"{label}: line {event.start_mark.line + 1}: {message}")

    def add(event, value) -> None:
        if not stack:
            documents.append(value)
            return
        top = stack[-1]
        if isinstance(top[0], list):
            top[0].append(value)
        elif top[1] is missing:
            if isinstance(value, (dict, list)):
                fail(event, "a key must be text or a number")
            if value in top[0]:
                fail(event, f"key '{value}' appears twice")
            top[1] = value
        else:
            top[0][top[1]] = value
            top[1] = missing

    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                fail(event, "YAML aliases (*name) are not allowed")
            elif isinstance(event, yaml.ScalarEvent):
                tag = event.tag if event.tag not in (None, "!") else \
                    resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
                construct = constructor.yaml_constructors.get(tag)
                if construct is None:
                    fail(event, f"unsupported YAML tag {tag}")
                add(event, construct(constructor, yaml.ScalarNode(tag, event.value, style=event.style)))
            elif isinstance(event, yaml.MappingStartEvent):
                stack.append([{}, missing])
            elif isinstance(event, yaml.SequenceStartEvent):
                stack.append([[], None])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                add(event, stack.pop()[0])
            elif isinstance(event, yaml.DocumentStartEvent) and documents:
                fail(event, "one YAML document expected")
    except yaml.YAMLError as error:
        raise FatalError(f"{label}: invalid YAML: {' '.join(str(error).split())}") from None
    return documents[0] if documents else None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("collateral-guard", {})
    return parse_config(data, path)


def _check_keys(table: dict, schema: dict, where: str, path: Path) -> None:
    for key, value in table.items():
        if key not in schema:
            raise FatalError(f"{path}: unknown key '{where}{key}'")
        check, expected = schema[key]
        if not check(value):
            raise FatalError(f"{path}: key '{where}{key}' must be {expected}")


def parse_config(data: dict, path: Path) -> Config:
    _check_keys(data, TOP_LEVEL, "", path)
    root = path.parent
    customers: dict[str, Customer] = {}
    for customer_id, table in data.get("customers", {}).items():
        if not isinstance(table, dict):
            raise FatalError(f"{path}: key 'customers.{customer_id}' must be a table")
        _check_keys(table, CUSTOMER_KEYS, f"customers.{customer_id}.", path)
        customers[customer_id] = _customer(customer_id, table, f"{path}: customers.{customer_id}")
    if "customers-file" in data:
        customers.update(load_customers_file(root / data["customers-file"]))
    config = Config(
        path=path,
        internal_domains=tuple(d.lower().strip(".") for d in data.get("internal-domains", ())),
        allow_loopback=data.get("allow-loopback", True),
        vocabulary=tuple(data.get("vocabulary", ())),
        vocabulary_file=root / data["vocabulary-file"] if "vocabulary-file" in data else None,
        customers=customers,
        customer_paths=dict(data.get("customer-paths", {})),
        competitors=_competitors(data, path),
        jargon=dict(data.get("jargon", {})),
        rules={k: dict(v) for k, v in data.get("rules", {}).items()},
        rule_packs=tuple(root / p for p in data.get("rule-packs", ())),
        exclude=tuple(data.get("exclude", ())),
        vendor=_vendor(data.get("vendor", {}), path),
        baseline=root / data["baseline"] if "baseline" in data else None,
        max_cells=data.get("max-cells", MAX_CELLS),
    )
    for pattern, customer_id in config.customer_paths.items():
        config.check_customer(customer_id, f"{path}: customer-paths '{pattern}'")
    for customer in customers.values():
        for name in customer.names:
            if len(name) <= 2:
                config.warnings.append(
                    f"{path}: customer '{customer.id}' has the {len(name)}-character name '{name}': it matches only "
                    "as a case-sensitive whole word outside code; prefer a longer name or a domain")
    return config


def _vendor(table: dict, path: Path) -> Vendor:
    _check_keys(table, VENDOR_KEYS, "vendor.", path)
    return Vendor(names=tuple(n.strip() for n in table.get("names", ()) if n.strip()),
                  domains=tuple(d.lower().strip().strip(".") for d in table.get("domains", ()) if d.strip()))


def _customer(customer_id: str, table: dict, where: str) -> Customer:
    names = tuple(n.strip() for n in table.get("names", ()) if n.strip())
    if not names:
        raise FatalError(f"{where}: a customer needs at least one name")
    return Customer(
        id=customer_id,
        names=names,
        domains=tuple(d.lower().strip() for d in table.get("domains", ()) if d.strip()),
        public_reference=bool(table.get("public-reference", False)),
        case_sensitive=table.get("case-sensitive"),
        exclusions=tuple(e.strip() for e in table.get("exclusions", ()) if e.strip()),
    )


def load_customers_file(path: Path) -> dict[str, Customer]:
    """A CRM export: CSV with columns id, names, domains, public-reference (lists split on ';'), or YAML."""
    text = read_text(path, "customers file")
    customers = {}
    if path.suffix.lower() in (".yml", ".yaml"):
        data = load_yaml(text, str(path)) or {}
        if not isinstance(data, dict):
            raise FatalError(f"{path}: must map customer ids to tables")
        for customer_id, table in data.items():
            if not isinstance(customer_id, (str, int)) or isinstance(customer_id, bool):
                raise FatalError(f"{path}: customer id {customer_id!r} must be text or a number")
            if str(customer_id) in customers:
                raise FatalError(f"{path}: customer id '{customer_id}' appears twice")
            if not isinstance(table, dict):
                raise FatalError(f"{path}: customer '{customer_id}' must be a table")
            _check_keys(table, CUSTOMER_KEYS, f"{customer_id}.", path)
            customers[str(customer_id)] = _customer(str(customer_id), table, f"{path}: {customer_id}")
        return customers
    import csv  # customer and competitor registries only

    rows = csv.DictReader(text.splitlines())
    missing = {"id", "names"} - set(rows.fieldnames or ())
    if missing:
        raise FatalError(f"{path}: CSV needs columns id and names (missing {', '.join(sorted(missing))})")
    for number, row in enumerate(rows, start=2):
        table = {
            "names": _split(row.get("names")),
            "domains": _split(row.get("domains")),
            "public-reference": (row.get("public-reference") or "").strip().lower() in ("true", "yes", "1"),
        }
        if (row.get("exclusions") or "").strip():
            table["exclusions"] = _split(row.get("exclusions"))
        if (row.get("case-sensitive") or "").strip():
            table["case-sensitive"] = row["case-sensitive"].strip().lower() in ("true", "yes", "1")
        customer_id = (row.get("id") or "").strip()
        if not customer_id:
            raise FatalError(f"{path}: line {number}: empty customer id")
        customers[customer_id] = _customer(customer_id, table, f"{path}: line {number}")
    return customers


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _competitors(data: dict, path: Path) -> dict[str, Competitor]:
    tables = {}
    for competitor_id, table in _named_only(data.get("competitors", {})).items():
        if not isinstance(table, dict):
            raise FatalError(f"{path}: key 'competitors.{competitor_id}' must be a table")
        tables[competitor_id] = (table, f"competitors.{competitor_id}.", path)
    if "competitors-file" in data:
        tables.update(_competitors_file(path.parent / data["competitors-file"]))
    competitors = {}
    for competitor_id, (table, where, source) in tables.items():
        _check_keys(table, COMPETITOR_KEYS, where, source)
        names = tuple(n.strip() for n in table.get("names", ()) if n.strip())
        if not names:
            raise FatalError(f"{source}: {where.rstrip('.: ')}: a competitor needs at least one name")
        products = tuple(n.strip() for n in table.get("products", ()) if n.strip())
        competitors[competitor_id] = Competitor(competitor_id, names, products, table.get("case-sensitive"))
    return competitors


def _named_only(competitors: dict | list) -> dict:
    """``competitors = ["BigCo", "Globex"]``: one competitor per name, its id the name."""
    if isinstance(competitors, dict):
        return competitors
    return {name.strip().lower(): {"names": [name]} for name in competitors if name.strip()}


def _competitors_file(path: Path) -> dict[str, tuple[dict, str, Path]]:
    """A CSV with columns id, names, products, case-sensitive (lists split on ';'), or YAML id: table."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise FatalError(f"{path}: cannot read competitors file: {error.strerror}") from None
    if path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as error:
            raise FatalError(f"{path}: invalid YAML: {str(error).splitlines()[0]}") from None
        data = _named_only(data) if _list_of_str(data) else data
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise FatalError(f"{path}: must map competitor ids to tables, or be a list of names")
        return {str(k): (table, f"{k}.", path) for k, table in data.items()}
    import csv  # customer and competitor registries only

    rows = csv.DictReader(text.splitlines())
    missing = {"id", "names"} - set(rows.fieldnames or ())
    if missing:
        raise FatalError(f"{path}: CSV needs columns id and names (missing {', '.join(sorted(missing))})")
    tables = {}
    for number, row in enumerate(rows, start=2):
        competitor_id = (row.get("id") or "").strip()
        if not competitor_id:
            raise FatalError(f"{path}: line {number}: empty competitor id")
        table = {"names": _split(row.get("names")), "products": _split(row.get("products"))}
        if (row.get("case-sensitive") or "").strip():
            table["case-sensitive"] = row["case-sensitive"].strip().lower() in ("true", "yes", "1")
        tables[competitor_id] = (table, f"line {number}: ", path)
    return tables
