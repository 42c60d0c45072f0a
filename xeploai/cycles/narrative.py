"""A subject's history as sentences people read, from the audit events' before and after.

"01/12/2026 17:58 — Đặng Thanh Trang nhập thay đồng chí Võ Quang An bản tự kiểm điểm: 93 điểm,
tự xếp HTXS". Every code in an event (level, source, kind) goes through xeploai.labels.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from xeploai import labels


@dataclass(frozen=True)
class Line:
    at: str
    text: str
    note: str = ""


def actor_name(actor) -> str:
    if actor is None:
        return _("The system")
    member = getattr(actor, "member", None) if actor.member_id else None
    return (member.full_name if member else actor.get_full_name()) or actor.username


def _points(scores) -> str:
    total = Decimal(0)
    for raw in (scores or {}).values():
        try:
            total += Decimal(str(raw))
        except (InvalidOperation, ValueError):
            continue
    return labels.number(total)


def _assessment(event, who: str, member: str) -> str:
    after = event.after or {}
    details = []
    if after.get("scores"):
        details.append(_("%(points)s points") % {"points": _points(after["scores"])})
    if after.get("level"):
        details.append(_("self-rated %(level)s") % {"level": labels.level_abbr(after["level"])})
    summary = ", ".join(details) or _("no score yet")
    submit = event.action == "assessment.submit"
    if after.get("on_behalf") and member:
        template = (
            _("%(actor)s entered for comrade %(member)s the self-assessment: %(details)s")
            if submit
            else _("%(actor)s saved for comrade %(member)s a draft self-assessment: %(details)s")
        )
    else:
        template = (
            _("%(actor)s submitted the self-assessment: %(details)s")
            if submit
            else _("%(actor)s saved a draft self-assessment: %(details)s")
        )
    return template % {"actor": who, "member": member, "details": summary}


def _appraisal(event, who: str) -> str:
    after = event.after or {}
    votes = after.get("votes") or {}
    tally = ", ".join(
        _("%(level)s %(n)s") % {"level": labels.level_abbr(level), "n": n}
        for level, n in votes.items()
    )
    text = _("%(actor)s recorded the appraisal: proposed %(level)s") % {
        "actor": who,
        "level": labels.level(after.get("proposed")),
    }
    if tally:
        text += " " + _("(votes: %(tally)s)") % {"tally": tally}
    return text


def _decision(event, who: str) -> str:
    after = event.after or {}
    text = _("%(actor)s decided the level: %(level)s") % {
        "actor": who,
        "level": labels.level(after.get("level")),
    }
    if after.get("paper"):
        text += " " + _("(decision no. %(number)s)") % {"number": after["paper"]}
    return text


def sentence(event, subject) -> Line:
    """One event of `subject` as a line: when, and who did what."""
    who = actor_name(event.actor)
    member = subject.member.full_name if subject.member_id else ""
    after = event.after or {}
    before = event.before or {}
    note = ""
    if event.action in ("assessment.save", "assessment.submit"):
        text = _assessment(event, who, member)
    elif event.action == "appraisal.record":
        text = _appraisal(event, who)
        note = after.get("reason") or ""
    elif event.action == "decision.take":
        text = _decision(event, who)
    elif event.action == "decision.rerate":
        text = _("%(actor)s re-rated from %(before)s to %(after)s") % {
            "actor": who,
            "before": labels.level(before.get("level")),
            "after": labels.level(after.get("level")),
        }
        note = after.get("reason") or ""
    elif event.action == "opinion.add":
        text = _("%(actor)s recorded an opinion from the %(source)s (%(author)s)") % {
            "actor": who,
            "source": labels.opinion_source(after.get("source")).lower(),
            "author": after.get("author") or labels.DASH,
        }
    elif event.action == "case.open":
        text = _("%(actor)s opened a case: %(kind)s") % {
            "actor": who,
            "kind": labels.case_kind(after.get("kind")).lower(),
        }
        note = after.get("note") or ""
    elif event.action == "case.close":
        text = _("%(actor)s concluded the case") % {"actor": who}
        note = after.get("conclusion") or ""
    else:
        text = _("%(actor)s changed the record") % {"actor": who}
    return Line(labels.when(event.at), text, note)
