"""What may be attached to a cycle: documents people read, in formats that cannot run in a
browser, up to a size (xeploai/limits.py). The name's extension and the content's first bytes
must both say the same kind."""

from pathlib import PurePath

from django.utils.translation import gettext as _

from xeploai.errors import AppError
from xeploai.limits import MB, document_max_bytes
from xeploai.org.progress import grouped

_ZIP = b"PK\x03\x04"
# extension → the bytes its content starts with (an ODF file's first part is its media type)
KINDS = {
    ".pdf": (b"%PDF-",),
    ".docx": (_ZIP,),
    ".xlsx": (_ZIP,),
    ".odt": (_ZIP,),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
_ODT = b"mimetypeapplication/vnd.oasis.opendocument.text"


def attachment_check(file) -> None:
    """Raise AppError beside the file field unless `file` is an allowed document."""
    name = PurePath(file.name or "").name
    limit = document_max_bytes()
    if file.size > limit:
        raise AppError(
            _("“%(name)s” is %(size)s MB; a document may be at most %(limit)s MB.")
            % {"name": name, "size": grouped(-(-file.size // MB)), "limit": grouped(limit // MB)},
            field="file",
        )
    suffix = PurePath(name).suffix.lower()
    if suffix not in KINDS:
        raise AppError(
            _(
                "“%(name)s” cannot be attached: attach a PDF, Word (.docx), Excel (.xlsx), "
                "OpenDocument (.odt) or image (.png, .jpg) file."
            )
            % {"name": name},
            field="file",
        )
    file.seek(0)
    head = file.read(128)
    file.seek(0)
    matches = head.startswith(KINDS[suffix])
    if suffix == ".odt":
        matches = matches and head[30:].startswith(_ODT)
    if not matches:
        raise AppError(
            _(
                "“%(name)s” is not really a %(kind)s file: its content does not match its "
                "name. Save it again as %(kind)s, or attach it as PDF."
            )
            % {"name": name, "kind": suffix.lstrip(".").upper()},
            field="file",
        )
