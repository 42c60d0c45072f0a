"""Downloads from the pages: allowed users get the file with its type and an ASCII-safe name;
everyone else gets 404 (the access module decides)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import make_user
from tests.cycles.helpers import open_year
from tests.reports.conftest import PAPER, docx_text, pdf_text
from xeploai.accounts.models import Role
from xeploai.cycles.models import Decision, Subject

TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def fetch(client, user, url, fmt):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == TYPES[fmt]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="') and f'.{fmt}"' in disposition
    assert disposition.split('"')[1].isascii()
    assert "filename*=UTF-8''" in disposition
    if fmt == "docx":
        return docx_text(response.content)
    if fmt == "pdf":
        return pdf_text(response.content)
    return load_workbook(io.BytesIO(response.content))


def refused(client, user, url):
    client.force_login(user)
    return client.get(url).status_code in (403, 404)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_a_member_downloads_their_own_self_review_and_no_one_elses(season, client, fmt):
    own = Subject.objects.get(cycle=season["cycle"], member=season["c1"][1], position=None)
    other = Subject.objects.get(cycle=season["cycle"], member=season["c1"][2], position=None)
    text = fetch(client, season["m2"], reverse("subject_form", args=[own.pk, fmt]), fmt)
    assert "Mẫu 2B" in text and own.member.full_name in text
    assert refused(client, season["m2"], reverse("subject_form", args=[other.pk, fmt]))


def test_the_cells_staff_download_form_01_and_the_subject_page_links_it(season, client):
    url = reverse("subject_form", args=[season["cell"].pk, "pdf"])
    text = fetch(client, season["sam"], url, "pdf")
    assert "Mẫu 01" in text and season["C1"].name in text
    page = client.get(reverse("subject_detail", args=[season["cell"].pk])).content.decode()
    assert url in page
    assert refused(client, season["m2"], url)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_secretary_downloads_her_cells_minutes_not_another_cells(season, client, fmt):
    cycle = season["cycle"].pk
    url = reverse("unit_minutes", args=[cycle, season["C1"].pk, fmt])
    text = fetch(client, season["carol"], url, fmt)
    assert "BIÊN BẢN HỌP CHI BỘ" in text and season["c1"][3].full_name in text
    assert refused(
        client, season["carol"], reverse("unit_minutes", args=[cycle, season["C2"].pk, fmt])
    )
    assert refused(client, season["m2"], url)
    page = client.get(reverse("unit_subjects", args=[cycle, season["C1"].pk]))
    assert url not in page.content.decode()  # m2 may not see the cell's page at all
    client.force_login(season["carol"])
    page = client.get(reverse("unit_subjects", args=[cycle, season["C1"].pk]))
    assert url in page.content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_the_ward_downloads_its_statistics_in_three_formats(season, client, fmt):
    cycle, ward = season["cycle"], season["W"]
    url = reverse("unit_statistics", args=[cycle.pk, ward.pk, fmt])
    result = fetch(client, season["sam"], url, fmt)
    if fmt == "xlsx":
        assert result.worksheets[0]["B1"].value == ward.name
    else:
        assert "THỐNG KÊ KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG" in result and season["C2"].name in result
    page = client.get(reverse("cycle_detail", args=[cycle.pk]) + f"?unit={ward.pk}")
    assert url in page.content.decode()
    assert refused(client, season["m2"], url)


def test_the_committee_downloads_its_decision_list_and_one_paper_decision(season, client):
    cycle, ward = season["cycle"], season["W"]
    url = reverse("decision_list", args=[cycle.pk, ward.pk, "pdf"])
    text = fetch(client, season["wendy"], url + f"?number={PAPER.number}", "pdf")
    assert f"Số: {PAPER.number}" in text and PAPER.signer in text
    page = client.get(reverse("board", args=[cycle.pk, ward.pk])).content.decode()
    assert url in page and "number=123-Q%C4%90/%C4%90U" in page
    assert refused(client, season["m2"], url)
    outsider = make_user("olga", Role.COMMITTEE, season["C2"])
    assert refused(client, outsider, url)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_form_03_exists_only_for_a_re_rating(season, client, fmt):
    decision = season["rerating"]
    text = fetch(client, season["wendy"], reverse("rerating_form", args=[decision.pk, fmt]), fmt)
    assert "Mẫu 03" in text and decision.reason in text
    first = Decision.objects.get(pk=decision.replaces_id)
    assert refused(client, season["wendy"], reverse("rerating_form", args=[first.pk, fmt]))
    assert refused(client, season["m2"], reverse("rerating_form", args=[decision.pk, fmt]))
    client.force_login(season["wendy"])
    page = client.get(reverse("subject_detail", args=[season["rerated"].pk])).content.decode()
    assert reverse("rerating_form", args=[decision.pk, fmt]) in page


def test_it_keeps_documents_to_units_the_cycle_holds(season, client):
    """No minutes for a ward committee, and nothing for a unit outside the cycle's tree."""
    cycle = season["cycle"]
    client.force_login(season["paula"])
    ward_minutes = reverse("unit_minutes", args=[cycle.pk, season["W"].pk, "pdf"])
    assert client.get(ward_minutes).status_code == 404
    cell_minutes = reverse("unit_minutes", args=[cycle.pk, season["C1"].pk, "pdf"])
    assert client.get(cell_minutes).status_code == 200
    ward_cycle = open_year(season["W"], 2025)
    for name, unit in (("unit_statistics", season["P"]), ("decision_list", season["P"])):
        url = reverse(name, args=[ward_cycle.pk, unit.pk, "pdf"])
        assert client.get(url).status_code == 404, name
