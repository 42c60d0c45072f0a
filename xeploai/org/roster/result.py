"""What an import answers: every problem with its sheet, row, column and value, and counts."""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from xeploai.org.names import fold
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
