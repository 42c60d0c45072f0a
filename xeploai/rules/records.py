"""Several years' ratings of one subject: award eligibility (R51) and the record a cadre's
appointment is weighed on (R50).

The application gathers each year's decided ratings; nothing here rates anyone. The rules
are the generation's data (``[[awards]]`` and ``[appointment_record]``), read by the
generation in force for the year being considered, since that is when the award is given or
the appointment weighed.

- A *run* is the number of consecutive years, ending with the year considered, in which the
  subject was rated at the award's level. A year without a rating (not reviewed, no cycle,
  not decided yet) ends the run: nothing in the sources lets a gap count (INF).
- An award is open when the run is at least the award's ``years``. Whether a run longer than
  that earns the award again is not in the sources seen; the run is shown and the committee
  decides (INF).
- The appointment record lists the last ``years`` years, the missing ones, and each year's
  rating; where a person held more than one rating in a year (as a member and for a post) the
  lower one is that year's (INF, the cautious reading). No overall level is computed: HD 45
  asks for the record, not for a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .enums import RANK, Level, SubjectKind
from .model import AwardRule, RecordRule, Regulation


def year_level(levels: Iterable[Level]) -> Level | None:
    """The year's rating of a person rated more than once in it: the lowest (INF)."""
    found = list(levels)
    return max(found, key=RANK.__getitem__) if found else None


def run_length(years: Mapping[int, Level], year: int, level: Level = Level.EXCELLENT) -> int:
    """Consecutive years ending with ``year`` rated ``level``; a missing year ends the run."""
    run = 0
    while years.get(year - run) is level:
        run += 1
    return run


@dataclass(frozen=True, slots=True)
class Eligibility:
    award: AwardRule
    run: int


def awards_open(
    years: Mapping[int, Level], year: int, kind: SubjectKind, regulation: Regulation
) -> tuple[Eligibility, ...]:
    """The awards of ``regulation`` that a subject of ``kind`` with these yearly ratings may be
    proposed for in ``year`` (R51), fewest years first, then in the data file's order."""
    out = []
    for award in regulation.awards:
        if kind not in award.kinds:
            continue
        run = run_length(years, year, award.level)
        if run >= award.years:
            out.append(Eligibility(award, run))
    return tuple(sorted(out, key=lambda e: e.award.years))


@dataclass(frozen=True, slots=True)
class YearRating:
    year: int
    level: Level | None  # None: no decided rating that year


@dataclass(frozen=True, slots=True)
class CompletionRecord:
    """The last years' ratings, oldest first, with what is missing (R50)."""

    rule: RecordRule
    years: tuple[YearRating, ...]

    @property
    def missing(self) -> tuple[int, ...]:
        return tuple(y.year for y in self.years if y.level is None)

    @property
    def complete(self) -> bool:
        """Every year of the record has a decided rating."""
        return not self.missing

    @property
    def lowest(self) -> Level | None:
        return year_level(y.level for y in self.years if y.level is not None)

    def years_at(self, level: Level) -> tuple[int, ...]:
        return tuple(y.year for y in self.years if y.level is level)


def completion_record(
    ratings: Mapping[int, Iterable[Level]], year: int, regulation: Regulation
) -> CompletionRecord:
    """The record of the ``rule.years`` years ending with ``year``; ``ratings`` maps a year to
    every rating the person was given in it (as a member and for each post)."""
    rule = regulation.appointment_record
    if rule is None:
        raise LookupError(f"{regulation.code} has no appointment_record in its data")
    return CompletionRecord(
        rule,
        tuple(
            YearRating(y, year_level(ratings.get(y, ())))
            for y in range(year - rule.years + 1, year + 1)
        ),
    )
