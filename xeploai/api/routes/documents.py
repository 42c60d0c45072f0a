"""Documents: the cycle's attached plan and guidance, and the committees' documents built by
`xeploai.reports` (the same files the pages offer), downloaded with the token."""

import datetime

from django.http import FileResponse, Http404
from django.urls import reverse
from ninja import Router, Schema

from xeploai.accounts.access import get_cycle_for_user
from xeploai.api.core import errors
from xeploai.reports import views as report_files

router = Router(tags=["documents"])

BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE = {
    "content": {
        "application/octet-stream": BINARY,
        "application/pdf": BINARY,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": BINARY,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": BINARY,
    },
    "description": "The file",
}


class DocumentOut(Schema):
    id: int
    title: str
    number: str
    issued_on: datetime.date | None
    url: str | None


@router.get(
    "/cycles/{int:cycle_id}/documents",
    response=errors(200, list[DocumentOut]),
    summary="The cycle's attached documents",
)
def documents_list(request, cycle_id: int):
    cycle = get_cycle_for_user(request.user, cycle_id)
    return [
        {
            "id": d.pk,
            "title": d.title,
            "number": d.number,
            "issued_on": d.issued_on,
            "url": reverse("api:document_file", args=[cycle.pk, d.pk]) if d.file else None,
        }
        for d in cycle.documents.order_by("pk")
    ]


def _file_route(path: str, name: str, summary: str):
    return router.get(
        path,
        url_name=name,
        summary=summary,
        response=errors(200, None),
        openapi_extra={"responses": {200: FILE}},
    )


@_file_route(
    "/cycles/{int:cycle_id}/documents/{int:document_id}/file",
    "document_file",
    "An attached document's file",
)
def document_file(request, cycle_id: int, document_id: int):
    cycle = get_cycle_for_user(request.user, cycle_id)
    document = cycle.documents.filter(pk=document_id).exclude(file="").first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file.name.rsplit("/", 1)[-1],
        content_type="application/octet-stream",
    )


FORMATS = ("docx", "pdf", "xlsx")


def _format(fmt: str, allowed=FORMATS) -> str:
    if fmt not in allowed:
        raise Http404
    return fmt


@_file_route(
    "/cycles/{int:cycle_id}/units/{int:unit_id}/statistics.{fmt}",
    "statistics_file",
    "The statistics of a unit: docx, pdf or xlsx",
)
def statistics_file(request, cycle_id: int, unit_id: int, fmt: str):
    return report_files.unit_statistics(request, cycle_id, unit_id, _format(fmt))


@_file_route(
    "/cycles/{int:cycle_id}/units/{int:unit_id}/minutes.{fmt}",
    "minutes_file",
    "The minutes of a cell's review meeting: docx or pdf",
)
def minutes_file(request, cycle_id: int, unit_id: int, fmt: str):
    return report_files.unit_minutes(request, cycle_id, unit_id, _format(fmt, FORMATS[:2]))


@_file_route(
    "/subjects/{int:subject_id}/form.{fmt}", "subject_file", "A subject's review form: docx or pdf"
)
def subject_file(request, subject_id: int, fmt: str):
    return report_files.subject_form(request, subject_id, _format(fmt, FORMATS[:2]))
