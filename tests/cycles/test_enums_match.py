"""Stored values are the rule core's enum values: the two lists must never drift apart."""

from xeploai import rules
from xeploai.cycles import models as cycles
from xeploai.org import models as org


def test_it_stores_levels_kinds_and_discipline_forms_as_the_rule_core_names_them():
    assert set(cycles.Level.values) == {level.value for level in rules.Level}
    assert set(cycles.SubjectKind.values) == {kind.value for kind in rules.SubjectKind}
    assert set(org.DisciplineForm.values) == {form.value for form in rules.DisciplineForm}
    assert set(cycles.PeriodKind.values) <= {kind.value for kind in rules.PeriodKind}
