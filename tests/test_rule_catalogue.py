"""The rule pack as a whole: ids, docs, examples and fixture coverage."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES, builtin_rules, scan_file

from iaclint.registry import DOC_SECTIONS, LoadedRule

RULES = builtin_rules()


def _ids(rules: tuple[LoadedRule, ...]) -> list[str]:
    return [rule.id for rule in rules]


def test_ids_and_slugs_are_unique() -> None:
    assert len(set(_ids(RULES))) == len(RULES)
    assert len({rule.rule.slug for rule in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_docstring_has_every_section(rule: LoadedRule) -> None:
    for section in DOC_SECTIONS:
        assert section in rule.doc


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_fixtures_cover_every_format(rule: LoadedRule) -> None:
    for verdict in ("pass", "fail"):
        for fmt in rule.rule.formats:
            folder = FIXTURES / rule.id / verdict / fmt
            files = [p for p in folder.glob("*") if not p.name.endswith(".expected.json")]
            assert files, f"no {verdict} fixture for {fmt} in {folder}"
            if fmt == "cloudformation":
                suffixes = {p.suffix for p in files}
                assert ".json" in suffixes and suffixes & {".yaml", ".yml"}, f"{folder} needs YAML and JSON"


def test_no_fixture_folder_without_a_rule() -> None:
    """Folders named like a rule id belong to a rule; others hold scenarios (examples, plans)."""
    import re

    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir() and re.fullmatch(r"[A-Z]+[0-9]{3}", p.name)}
    assert folders <= set(_ids(RULES))


@pytest.mark.parametrize("rule", RULES, ids=_ids(RULES))
def test_examples_cover_every_format(rule: LoadedRule) -> None:
    assert {example.format for example in rule.examples} == set(rule.rule.formats)


EXAMPLES = [(rule, example) for rule in RULES for example in rule.examples]


@pytest.mark.parametrize(
    ("rule", "example"), EXAMPLES, ids=[f"{rule.id}-{example.format}" for rule, example in EXAMPLES]
)
def test_examples_shown_by_explain_behave(rule: LoadedRule, example, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """What `iaclint explain` shows is tested: the bad example fires, the good one does not."""
    for code, should_fire in ((example.noncompliant, True), (example.compliant, False)):
        path = tmp_path / ("bad" if should_fire else "good") / example.file_name
        path.parent.mkdir()
        path.write_text(code)
        result = scan_file(path, select=(rule.id,))
        assert not result.errors
        fired = [f for f in result.findings if f.rule_id == rule.id]
        assert bool(fired) == should_fire, (example.format, code)
