"""Regulation data: every file loads, every rule cites its source, settings behave."""

from __future__ import annotations

from pathlib import Path

import pytest

from xeploai.rules import RegulationDataError, available_codes, load_regulation
from xeploai.rules.enums import Confidence, ReasonKind, SubjectKind
from xeploai.rules.loader import _Builder

REPO = Path(__file__).resolve().parents[2]


def test_it_has_every_generation() -> None:
    assert set(available_codes()) == {"G27", "G132-16", "G132-21", "G124", "G366"}


@pytest.mark.parametrize("code", available_codes())
def test_it_cites_a_source_for_every_rule(code: str) -> None:
    reg = load_regulation(code)
    citations = [t.reason.citation for p in reg.plans.values() for t in p.triggers]
    citations += [
        c.reason.citation for p in reg.plans.values() for cs in p.conditions.values() for c in cs
    ]
    citations += [c.citation for c in reg.caps] + [e.citation for e in reg.exclusions]
    citations += [b.reason.citation for b in reg.bands] + [r.citation for r in reg.reasons.values()]
    citations += [o.citation for o in reg.order_rules]
    assert citations
    for c in citations:
        assert c.document and c.article and isinstance(c.confidence, Confidence)


def test_it_labels_g27_organizations_and_members_differently() -> None:
    reg = load_regulation("G27")
    from xeploai.rules import Level

    assert reg.label(SubjectKind.PARTY_ORGANIZATION, Level.EXCELLENT).abbr == "TSVM"
    assert reg.label(SubjectKind.PARTY_ORGANIZATION, Level.NOT_COMPLETE).vi == "Yếu kém"
    assert reg.label(SubjectKind.MEMBER, Level.EXCELLENT).vi.startswith("Đủ tư cách")


def test_it_caches_loaded_regulations() -> None:
    assert load_regulation("G366") is load_regulation("G366")
    assert load_regulation("G366", {"cap_rounding": "ceil"}) is not load_regulation("G366")


def test_it_refuses_an_unknown_setting() -> None:
    with pytest.raises(RegulationDataError, match="unknown setting"):
        load_regulation("G366", {"cap_rouding": "ceil"})


def test_it_refuses_a_setting_outside_its_choices() -> None:
    with pytest.raises(RegulationDataError, match="not one of"):
        load_regulation("G366", {"cap_rounding": "banker"})


def test_it_refuses_an_unknown_code() -> None:
    with pytest.raises(RegulationDataError, match="known: G124"):
        load_regulation("G999")


def _g366_raw() -> dict[str, object]:
    import tomllib

    return tomllib.loads((REPO / "xeploai/rules/data/G366.toml").read_text(encoding="utf-8"))


def test_it_names_the_file_and_place_of_a_data_error() -> None:
    raw = _g366_raw()
    triggers = raw["triggers"]
    assert isinstance(triggers, list)
    triggers[0]["predicate"] = "degradation_findings"
    with pytest.raises(RegulationDataError, match=r"G366.toml: triggers\[0\]: unknown predicate"):
        _Builder("G366.toml", raw, {}).build()


def test_it_refuses_a_rule_without_a_source() -> None:
    raw = _g366_raw()
    caps = raw["caps"]
    assert isinstance(caps, list)
    del caps[0]["source"]
    with pytest.raises(RegulationDataError, match="needs a 'source'"):
        _Builder("G366.toml", raw, {}).build()


def test_it_refuses_sub_weights_that_do_not_add_up(tmp_path: Path) -> None:
    overlay = tmp_path / "bad.toml"
    overlay.write_text(
        'overlay_for = "G366"\n[[sheets]]\ncode = "PL5"\n[[sheets.groups]]\ncode = "general"\n'
        'items = [{ code = "politics_ethics", weight = 20 }, '
        '{ code = "self_correction", weight = 5 }]\n',
        encoding="utf-8",
    )
    with pytest.raises(RegulationDataError, match="add up to 30"):
        load_regulation("G366", overlay=overlay)


def test_it_documents_every_setting_in_the_glossary() -> None:
    glossary = (REPO / "docs" / "GLOSSARY.md").read_text(encoding="utf-8")
    rules_doc = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for code in available_codes():
        for name in load_regulation(code).settings:
            assert f"`{name}`" in glossary, f"{code}.{name} missing from GLOSSARY.md"
            assert f"`{name}`" in rules_doc, f"{code}.{name} missing from docs/rules.md"


@pytest.mark.parametrize("code", available_codes())
def test_it_never_files_a_level_changing_reason_as_a_note(code: str) -> None:
    """A head capped under the collective or a Not complete on exhausted conditions changes
    the level; the app shows notes as context only, so these must not be notes."""
    reasons = load_regulation(code).reasons
    for role in ("head_above_collective", "conditions_exhausted", "discretion", "no_cascade"):
        if role in reasons:
            assert reasons[role].kind is not ReasonKind.NOTE, f"{code} reasons.{role}"
