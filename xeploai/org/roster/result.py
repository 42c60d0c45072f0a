"""What an import answers: every problem with its sheet, row, column and value, and counts."""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from xeploai.limits import PROBLEMS_SHOWN
from xeploai.org.names import fold
from xeploai.org.progress import grouped
from xeploai.text import BIDI

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str  # "C (Ngày sinh)"
    value: str
    reason: str


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    transferred: int = 0
    status_changes: int = 0
    unchanged: int = 0
    posts_created: int = 0
    posts_ended: int = 0
    posts_updated: int = 0
    disciplines_created: int = 0
    disciplines_updated: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.updated
            or self.transferred
            or self.status_changes
            or self.posts_created
            or self.posts_ended
            or self.posts_updated
            or self.disciplines_created
            or self.disciplines_updated
        )

    def summary(self) -> str:
        """What the import did, in the user's language, numbers grouped the Vietnamese way."""
        return _(
            "Imported %(rows)s rows: %(created)s new, %(updated)s updated, "
            "%(transferred)s transferred, %(status)s status changes, "
            "%(unchanged)s unchanged. Posts: %(posts)s new, %(ended)s ended, "
            "%(posts_updated)s updated. Discipline records: %(disciplines)s new, "
            "%(disciplines_updated)s updated."
        ) % {
            "rows": grouped(self.rows),
            "created": grouped(self.created),
            "updated": grouped(self.updated),
            "transferred": grouped(self.transferred),
            "status": grouped(self.status_changes),
            "unchanged": grouped(self.unchanged),
            "posts": grouped(self.posts_created),
            "ended": grouped(self.posts_ended),
            "posts_updated": grouped(self.posts_updated),
            "disciplines": grouped(self.disciplines_created),
            "disciplines_updated": grouped(self.disciplines_updated),
        }


def problems_page(problems: list) -> dict:
    """The problems a page lists, cut to a readable number, and how many more there are."""
    more = len(problems) - PROBLEMS_SHOWN
    return {"problems": problems[:PROBLEMS_SHOWN], "more": grouped(more) if more > 0 else ""}


def problem_lines(problems: list) -> list[str]:
    """The same for a command: one line per problem, then how many more."""
    lines = []
    for p in problems[:PROBLEMS_SHOWN]:
        row = f"{_('row')} {p.row}" if p.row else ""
        where = ", ".join(x for x in (p.sheet, row, p.column) if x)
        value = f" “{p.value}”" if p.value else ""
        lines.append(f"{where}:{value} {p.reason}")
    more = len(problems) - PROBLEMS_SHOWN
    if more > 0:
        lines.append(_("… and %(more)s more problems.") % {"more": grouped(more)})
    return lines


@functools.lru_cache(maxsize=4096)
def folded(text: str) -> str:
    """The same few sexes, statuses and cell names repeat on every row: fold each once."""
    return fold(text)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # numbers typed into a cell come back as floats
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).translate(BIDI).strip()
