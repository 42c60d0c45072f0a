"""Every URL that names an object, asked with another subtree's ids, answers 403 or 404."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import make_user
from tests.cycles.helpers import open_year, ward
from xeploai.accounts.models import Role
from xeploai.cycles.models import Decision, Subject
from xeploai.cycles.services.lifecycle import cycle_document_add
from xeploai.org.models import UnitKind
from xeploai.org.services import unit_create


def _object_routes(patterns=None):
    """Every named route with a parameter, through each app's included urls."""
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            continue  # the JSON API's routes: the same matrix in tests/api/test_scope.py
        if isinstance(pattern, URLResolver):
            routes += _object_routes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.pattern.converters:
            routes.append((pattern.name, list(pattern.pattern.converters)))
    return routes


@pytest.fixture
def two_provinces(db):
    t = ward()
    cycle = open_year(t["P"])
    other = unit_create(
        actor=None,
        code="Q",
        name="Đảng bộ tỉnh Khác",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        parent=None,
        on=datetime.date(2020, 1, 1),
    )
    outsiders = [make_user(f"q_{role}", role, other) for role in Role.values]
    return t, cycle, outsiders


def test_it_names_the_object_routes_this_test_covers():
    names = {name for name, _params in _object_routes()}
    assert {
        "unit_detail",
        "roster_import",
        "member_detail",
        "member_reveal",
        "cycle_new",
        "cycle_detail",
        "cycle_move",
        "unit_subjects",
        "board",
        "cycle_years",
        "subject_detail",
        "subject_self_save",
        "subject_preview",
        "subject_appraise",
        "subject_history",
        "subject_form",
        "unit_minutes",
        "unit_statistics",
        "decision_list",
        "rerating_form",
        "unit_tree",
        "unit_tree_change",
        "tree_import",
        "tree_export",
    } <= names


def test_it_answers_403_or_404_to_every_object_url_of_another_subtree(two_provinces, client):
    t, cycle, outsiders = two_provinces
    subject = Subject.objects.filter(cycle=cycle, member=t["c1"][1]).first()
    document = cycle_document_add(
        actor=None, cycle=cycle, title="Kế hoạch", file=ContentFile(b"%PDF-1.4", name="kh.pdf")
    )
    # A decision and its re-rating (form 03), written as the paper record would be.
    first = Decision.objects.create(
        subject=subject, level="good", regulation=cycle.regulation, decided_at=timezone.now()
    )
    rerating = Decision.objects.create(
        subject=subject,
        level="complete",
        regulation=cycle.regulation,
        decided_at=timezone.now(),
        replaces=first,
        reason="Vi phạm",
    )
    ids = {
        "unit": t["C1"].pk,
        "member": t["c1"][1].pk,
        "cycle": cycle.pk,
        "subject": subject.pk,
        "document": document.pk,
        "decision": rerating.pk,
    }
    for name, params in _object_routes():
        if name == "password_reset_confirm":
            continue  # names no object: a signed link, refused by its token (test_reset.py)
        for fmt in ("docx", "pdf", "xlsx") if "fmt" in params else (None,):
            url = reverse(name, kwargs=_kwargs(name, params, ids, t["W"].pk, fmt))
            for user in outsiders:
                client.force_login(user)
                for method in (client.get, client.post):
                    status = method(url).status_code
                    assert status in (403, 404, 405), (
                        f"{user.username} {method.__name__} {url}: {status}"
                    )


CYCLE_ROUTES = ("unit_subjects", "board", "unit_minutes", "unit_statistics", "decision_list")


def _kwargs(name, params, ids, deciding_unit, fmt) -> dict:
    kwargs = {}
    for param in params:
        if param == "fmt":
            kwargs[param] = fmt
        elif param == "to":
            kwargs[param] = "lock"
        elif param == "action":
            kwargs[param] = "rename"
        elif param == "document_pk":
            kwargs[param] = ids["document"]
        elif param == "unit_pk":
            kwargs[param] = deciding_unit if name in ("board", "decision_list") else ids["unit"]
        elif name.startswith("subject"):
            kwargs[param] = ids["subject"]
        elif name == "rerating_form":
            kwargs[param] = ids["decision"]
        elif name.startswith("cycle") or name in CYCLE_ROUTES:
            kwargs[param] = ids["cycle"]
        elif name.startswith("member"):
            kwargs[param] = ids["member"]
        else:
            kwargs[param] = ids["unit"]
    return kwargs
