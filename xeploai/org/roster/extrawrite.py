"""Posts and discipline against what is stored: new records added, an open post ended, a
corrected title or level updated. History is never rewritten: an ended post is not reopened,
and nothing is deleted, so importing the same workbook again changes nothing."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from xeploai.org.models import Discipline, Position, PositionKind
from xeploai.org.roster.extrasheets import DisciplineRow, Person, PostRow
from xeploai.org.roster.matching import card_key
from xeploai.org.roster.reader import Table, column_letter
from xeploai.org.roster.result import ImportResult, Problem

BATCH = 2000
ONE_HOLDER = (PositionKind.CELL_SECRETARY, PositionKind.COMMITTEE_SECRETARY)
CHUNK = 5000
_POST_FIELDS = ("title", "is_leadership", "managing_level")
_DISCIPLINE_FIELDS = ("unit_of_act_id", "duty_related", "note")


@dataclass
class ExtraPlan:
    new_posts: list[PostRow] = field(default_factory=list)
    ended: dict[datetime.date, list[int]] = field(default_factory=dict)
    changed_posts: list[Position] = field(default_factory=list)
    new_disciplines: list[DisciplineRow] = field(default_factory=list)
    changed_disciplines: list[Discipline] = field(default_factory=list)


def _stored(model, member_ids: set[int]) -> list:
    ids = sorted(member_ids)
    found = []
    for start in range(0, len(ids), CHUNK):
        found += list(model.objects.filter(member_id__in=ids[start : start + CHUNK]))
    return found


def _where(table: Table, fieldname: str, header: str) -> str:
    index = table.columns.get(fieldname)
    return f"{column_letter(index)} ({table.headers[index]})" if index is not None else header


def extras_plan(
    posts: list[PostRow],
    disciplines: list[DisciplineRow],
    posts_table: Table | None,
    discipline_table: Table | None,
) -> tuple[ExtraPlan, list[Problem]]:
    plan = ExtraPlan()
    problems: list[Problem] = []
    stored_posts = {
        (p.member_id, p.kind, p.unit_id, p.valid_from): p
        for p in _stored(Position, {r.person.pk for r in posts if r.person.pk})
    }
    for row in posts:
        post = stored_posts.get((row.person.pk, row.kind, row.unit.pk, row.valid_from))
        if post is None:
            plan.new_posts.append(row)
            continue
        if post.valid_to != row.valid_to:
            if post.valid_to is not None:
                problems.append(
                    Problem(
                        posts_table.sheet,
                        row.line,
                        _where(posts_table, "valid_to", "Đến ngày"),
                        row.valid_to.strftime("%d/%m/%Y") if row.valid_to else "",
                        _(
                            "This post already ended on %(day)s; an ended post is neither "
                            "reopened nor re-dated. A new term is a new row with its own start "
                            "date."
                        )
                        % {"day": post.valid_to.strftime("%d/%m/%Y")},
                    )
                )
                continue
            plan.ended.setdefault(row.valid_to, []).append(post.pk)
        wanted = (row.title, row.is_leadership, row.managing_level)
        if tuple(getattr(post, f) for f in _POST_FIELDS) != wanted:
            post.title, post.is_leadership, post.managing_level = wanted
            plan.changed_posts.append(post)
    problems += _one_holder(plan, posts_table)
    stored_disciplines = {
        (d.member_id, d.form, d.violation_on, d.decided_on): d
        for d in _stored(Discipline, {r.person.pk for r in disciplines if r.person.pk})
    }
    for row in disciplines:
        record = stored_disciplines.get((row.person.pk, row.form, row.violation_on, row.decided_on))
        if record is None:
            plan.new_disciplines.append(row)
            continue
        wanted = (row.unit_of_act.pk, row.duty_related, row.note)
        if tuple(getattr(record, f) for f in _DISCIPLINE_FIELDS) != wanted:
            record.unit_of_act_id, record.duty_related, record.note = wanted
            plan.changed_disciplines.append(record)
    return plan, problems


def _overlap(a_from, a_to, b_from, b_to) -> bool:
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


def _one_holder(plan: ExtraPlan, table: Table | None) -> list[Problem]:
    """A cell or a committee has one secretary at a time: a new one is refused while another's
    post is open over the same days, in the file or stored. The stored holder is not named:
    they may be someone the importer may not see."""
    single = [r for r in plan.new_posts if r.kind in ONE_HOLDER]
    if not single:
        return []
    ending = {pk: day for day, ids in plan.ended.items() for pk in ids}
    held: dict[tuple[int, str], list[tuple]] = {}
    stored = Position.objects.filter(
        unit_id__in={r.unit.pk for r in single}, kind__in=ONE_HOLDER, valid_to__isnull=True
    ).values_list("pk", "member_id", "unit_id", "kind", "valid_from")
    for pk, member_id, unit_id, kind, start in stored:
        held.setdefault((unit_id, kind), []).append((member_id, start, ending.get(pk), None))
    problems = []
    for row in sorted(single, key=lambda r: r.valid_from):
        others = held.setdefault((row.unit.pk, row.kind), [])
        mine = row.person.pk
        clash = next(
            (
                o
                for o in others
                if (o[0] != mine or mine is None)
                and o[3] != row.line
                and _overlap(o[1], o[2], row.valid_from, row.valid_to)
            ),
            None,
        )
        if clash is None:
            others.append((mine, row.valid_from, row.valid_to, row.line))
            continue
        where = _(" (row %(row)s)") % {"row": clash[3]} if clash[3] else ""
        problems.append(
            Problem(
                table.sheet,
                row.line,
                _where(table, "post", "Chức vụ"),
                str(PositionKind(row.kind).label),
                _(
                    "%(unit)s already has a holder of this post from %(day)s%(where)s over the "
                    "same days; one holder at a time. End that post first (its Đến ngày)."
                )
                % {"unit": row.unit.name, "day": clash[1].strftime("%d/%m/%Y"), "where": where},
            )
        )
    return problems


def extras_write(plan: ExtraPlan, new_by_card: dict, new_by_nid: dict, result: ImportResult):
    """Inside the import's transaction, after the members sheet: new members have ids now."""
    by_card = {card_key(card): pk for card, pk in new_by_card.items() if card}

    def member_id(person: Person) -> int:
        if person.pk is not None:
            return person.pk
        if person.card and card_key(person.card) in by_card:
            return by_card[card_key(person.card)]
        return new_by_nid[person.national_id]

    Position.objects.bulk_create(
        [
            Position(
                member_id=member_id(r.person),
                kind=r.kind,
                title=r.title,
                unit=r.unit,
                is_leadership=r.is_leadership,
                managing_level=r.managing_level,
                valid_from=r.valid_from,
                valid_to=r.valid_to,
            )
            for r in plan.new_posts
        ],
        batch_size=BATCH,
    )
    for day, ids in plan.ended.items():
        for start in range(0, len(ids), CHUNK):
            Position.objects.filter(
                pk__in=ids[start : start + CHUNK], valid_to__isnull=True
            ).update(valid_to=day)
    if plan.changed_posts:
        Position.objects.bulk_update(plan.changed_posts, list(_POST_FIELDS), batch_size=BATCH)
    Discipline.objects.bulk_create(
        [
            Discipline(
                member_id=member_id(r.person),
                form=r.form,
                violation_on=r.violation_on,
                decided_on=r.decided_on,
                unit_of_act=r.unit_of_act,
                duty_related=r.duty_related,
                note=r.note,
            )
            for r in plan.new_disciplines
        ],
        batch_size=BATCH,
    )
    if plan.changed_disciplines:
        Discipline.objects.bulk_update(
            plan.changed_disciplines, ["unit_of_act", "duty_related", "note"], batch_size=BATCH
        )
    result.posts_created = len(plan.new_posts)
    result.posts_ended = sum(len(ids) for ids in plan.ended.values())
    result.posts_updated = len(plan.changed_posts)
    result.disciplines_created = len(plan.new_disciplines)
    result.disciplines_updated = len(plan.changed_disciplines)
