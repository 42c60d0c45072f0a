"""Every limit on what a user may upload, in one place (docs/SECURITY-limits.md).

The values an operator may need to tune come from settings (environment variables, see
.env.example); the rest are constants here, with the reason for their value.
"""

from dataclasses import dataclass

from django.conf import settings

MB = 1024 * 1024

# A refused roster lists this many problems, then how many more there are: 200 rows are
# already more than anyone fixes in one sitting, and 200,000 rows made a 46 MiB page.
PROBLEMS_SHOWN = 200

# Above this ratio of uncompressed to compressed size, a large member of a workbook is a
# compression bomb, not a roster. Real rosters measure 5-20 (a 200,000-row roster written by
# openpyxl: 15); a 7.5 MB bomb holding 4 GB of XML: about 550. Small members (styles, empty
# sheets) compress far better than large ones, so only members over RATIO_FLOOR are judged.
MAX_COMPRESSION_RATIO = 100
RATIO_FLOOR = 1 * MB

# A workbook is a handful of parts (about ten); thousands are not a roster, and every entry of
# the zip directory costs memory before anything else can be checked.
MAX_ZIP_MEMBERS = 1000


@dataclass(frozen=True)
class RosterLimits:
    upload_bytes: int
    rows: int
    columns: int
    cells: int  # rows × columns of the used area, which the reader allocates whole
    cell_chars: int
    unzipped_bytes: int


def roster_limits() -> RosterLimits:
    """Read at each use, so an operator's setting (and a test's override) takes effect."""
    return RosterLimits(
        upload_bytes=settings.ROSTER_MAX_UPLOAD_MB * MB,
        rows=settings.ROSTER_MAX_ROWS,
        columns=settings.ROSTER_MAX_COLUMNS,
        cells=settings.ROSTER_MAX_CELLS,
        cell_chars=settings.ROSTER_MAX_CELL_CHARS,
        unzipped_bytes=settings.ROSTER_MAX_UNZIPPED_MB * MB,
    )


def document_max_bytes() -> int:
    return settings.DOCUMENT_MAX_UPLOAD_MB * MB
