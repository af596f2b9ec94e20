"""Configuration discovery and validation."""

from __future__ import annotations

import pytest

from collateral_guard.config import find_config, load_config
from collateral_guard.errors import FatalError


def test_found_by_walking_up(tmp_path):
    (tmp_path / ".collateral-guard.toml").write_text('internal-domains = ["corp.acme.io"]\n')
    deep = tmp_path / "rfp" / "2025" / "contoso"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / ".collateral-guard.toml"
    assert load_config(find_config(deep)).internal_domains == ("corp.acme.io",)


def test_pyproject_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.collateral-guard]\nvocabulary = ["Acme"]\n')
    assert load_config(find_config(tmp_path)).vocabulary == ("Acme",)


def test_pyproject_without_table_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.black]\nline-length = 100\n')
    inner = tmp_path / "docs"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(inner) is None


def test_invalid_toml_names_the_file(tmp_path):
    path = tmp_path / ".collateral-guard.toml"
    path.write_text("internal-domains = [\n")
    with pytest.raises(FatalError, match=r"\.collateral-guard\.toml: invalid TOML"):
        load_config(path)


def test_customer_table_validation(tmp_path):
    path = tmp_path / ".collateral-guard.toml"
    path.write_text('[customers.contoso]\nnames = ["Contoso"]\nalias = ["C"]\n')
    with pytest.raises(FatalError, match=r"unknown key 'customers\.contoso\.alias'"):
        load_config(path)
    path.write_text('[customers.contoso]\nnames = "Contoso"\n')
    with pytest.raises(FatalError, match=r"key 'customers\.contoso\.names' must be a list of strings"):
        load_config(path)


def test_customer_paths_must_name_known_customers(tmp_path):
    path = tmp_path / ".collateral-guard.toml"
    path.write_text('[customers.contoso]\nnames = ["Contoso"]\n[customer-paths]\n"rfp/fabrikam/**" = "fabrikam"\n')
    with pytest.raises(FatalError, match=r"unknown customer id 'fabrikam' in .*customer-paths 'rfp/fabrikam/\*\*'"):
        load_config(path)


def test_customers_file_csv_and_yaml(tmp_path):
    (tmp_path / "crm.csv").write_text(
        "id,names,domains,public-reference\n"
        "contoso,Contoso;Contoso Ltd,contoso.com,true\n"
        "fabrikam,Fabrikam,fabrikam.com;fabrikam.net,\n", encoding="utf-8")
    path = tmp_path / ".collateral-guard.toml"
    path.write_text('customers-file = "crm.csv"\n')
    customers = load_config(path).customers
    assert customers["contoso"].names == ("Contoso", "Contoso Ltd")
    assert customers["contoso"].public_reference is True
    assert customers["fabrikam"].domains == ("fabrikam.com", "fabrikam.net")

    (tmp_path / "crm.yml").write_text("northwind:\n  names: [Northwind Traders]\n  public-reference: true\n")
    path.write_text('customers-file = "crm.yml"\n')
    assert load_config(path).customers["northwind"].public_reference is True


def test_customer_for_path(tmp_path):
    path = tmp_path / ".collateral-guard.toml"
    path.write_text('[customers.contoso]\nnames = ["Contoso"]\n[customer-paths]\n"rfp/contoso/**" = "contoso"\n')
    config = load_config(path)
    assert config.customer_for_path(str(tmp_path / "rfp" / "contoso" / "answers.md")) == "contoso"
    assert config.customer_for_path(str(tmp_path / "rfp" / "other" / "answers.md")) is None


def test_rule_pack_errors_name_the_pack_and_rule(tmp_path):
    from collateral_guard.rules.packs import load_pack

    pack = tmp_path / "mine.yml"
    pack.write_text("category: jargon\nrules:\n  my-rule:\n    kind: existence\n    terms: ['(?<=x)y']\n"
                    "    summary: s\n    description: d\n    message: m\n"
                    "    examples: {bad: [x], good: [y]}\n")
    with pytest.raises(FatalError, match=r"mine\.yml: rule 'my-rule': invalid pattern"):
        load_pack(pack)
    pack.write_text("category: jargon\nrules:\n  my-rule:\n    kind: existance\n")
    with pytest.raises(FatalError, match=r"'kind' must be one of existence, substitution, conditional"):
        load_pack(pack)


def test_user_rule_pack_runs(tmp_path):
    from conftest import make_config, scan_text

    (tmp_path / "team.yml").write_text(
        "category: jargon\nseverity: error\nrules:\n  codename:\n    kind: existence\n"
        "    terms: [Bluebird]\n    summary: Codename.\n    description: Codenames stay inside.\n"
        "    message: \"Codename '{match}'\"\n    examples: {bad: [Bluebird ships.], good: [The module ships.]}\n")
    config = make_config({"rule-packs": ["team.yml"]}, tmp_path)
    result = scan_text("Bluebird is ready.\n", config=config, select=("codename",))
    assert [(f.rule, f.severity, f.line, f.column, f.message) for f in result.findings] == [
        ("codename", "error", 1, 1, "Codename 'Bluebird'")]


def test_catastrophic_pattern_is_linear(tmp_path):
    """A pattern that backtracks exponentially in Python's re runs in linear time here."""
    from conftest import make_config, scan_text

    (tmp_path / "slow.yml").write_text(
        "category: jargon\nrules:\n  slow:\n    kind: existence\n    terms: ['(a+)+b']\n"
        "    summary: s.\n    description: d.\n    message: m\n    examples: {bad: [aab], good: [c]}\n")
    config = make_config({"rule-packs": ["slow.yml"]}, tmp_path)
    result = scan_text("a" * 50_000 + "!\n", config=config, select=("slow",))
    assert result.findings == [] and result.error is None
