"""A cycle's plan is a document people read: a PDF, Word, Excel, OpenDocument or image file,
by name and by content, up to a size; anything else is refused beside the file field."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import make_user
from tests.cycles.helpers import open_year, ward
from xeploai.accounts.models import Role
from xeploai.cycles.models import CycleDocument

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n"


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def staff_page(db, client):
    t = ward()
    cycle = open_year(t["P"])
    client.force_login(make_user("olivia", Role.ORGANIZATION_STAFF, t["P"]))

    def attach(name, data):
        return client.post(
            reverse("cycle_document", args=[cycle.pk]),
            {
                "title": "Kế hoạch 07-KH/TU",
                "number": "07-KH/TU",
                "file": SimpleUploadedFile(name, data),
            },
        )

    return attach


@pytest.mark.parametrize(
    "name, data",
    [
        ("ke-hoach.pdf", PDF),
        ("ke-hoach.odt", odt()),
        ("anh.PNG", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("anh.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
    ],
)
def test_it_attaches_a_document_people_read(staff_page, name, data):
    assert staff_page(name, data).status_code == 302
    assert CycleDocument.objects.get().file.read() == data


@pytest.mark.parametrize(
    "name, data, expected",
    [
        ("ke-hoach.html", b"<html><script>alert(1)</script>", "không đính kèm được"),
        ("ke-hoach.pdf", b"<html><script>alert(1)</script>", "không thật sự là tệp pdf"),
        ("ke-hoach.docx", PDF, "không thật sự là tệp docx"),
        ("ke-hoach.odt", b"PK\x03\x04" + b"\x00" * 60, "không thật sự là tệp odt"),
    ],
)
def test_it_refuses_a_file_by_its_name_or_its_content_beside_the_field(
    staff_page, name, data, expected
):
    response = staff_page(name, data)
    page = response.content.decode()
    assert response.status_code == 200 and expected in page.lower()
    assert 'id="doc_file_error"' in page and 'aria-invalid="true"' in page
    assert 'value="07-KH/TU"' in page  # what was typed is kept
    assert not CycleDocument.objects.exists()


def test_it_refuses_a_document_over_the_size_limit(staff_page, settings):
    settings.DOCUMENT_MAX_UPLOAD_MB = 1
    response = staff_page("ke-hoach.pdf", PDF + b"\x00" * (1024 * 1024))
    assert "tối đa 1 MB" in response.content.decode()
    assert not CycleDocument.objects.exists()
