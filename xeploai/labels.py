"""The words people read for what the application stores as codes.

One place turns a level, subject kind, step, reason for not being reviewed, cap pool,
regulation generation, citation or rule-core problem into words: pages, documents,
spreadsheets and charts all call it. Vietnamese first; English when the reader chooses it
(the active translation decides). Nothing here ever returns the stored code itself: an
unknown code reads as "—" rather than leaking an internal key.
"""

import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from xeploai.cycles.models import (
    CaseKind,
    CycleState,
    ExcludedReason,
    Level,
    OpinionSource,
    Step,
    SubjectKind,
)
from xeploai.org.models import PositionKind, UnitKind

DASH = "—"
ABBREVIATIONS = {"excellent": "HTXS", "good": "HTT", "complete": "HT", "not_complete": "KHT"}


def in_vietnamese() -> bool:
    return (get_language() or "vi").startswith("vi")


def _choice(choices, value) -> str:
    if not value:
        return DASH
    label = dict(choices.choices).get(str(value))
    return str(label) if label is not None else DASH


def level(value) -> str:
    """ "excellent" → "Hoàn thành xuất sắc nhiệm vụ (HTXS)" (English: "Excellent (HTXS)")."""
    return _choice(Level, value)


def level_abbr(value) -> str:
    """ "excellent" → "HTXS": the same in both languages, as people say it."""
    return ABBREVIATIONS.get(str(value), DASH) if value else DASH


def level_names() -> dict[str, str]:
    """Every level's words, in the reader's language now: for charts and tables."""
    return {value: level(value) for value in Level.values}


def level_choice(value) -> str:
    """A level in a choice list: "HTXS — Hoàn thành xuất sắc nhiệm vụ". The abbreviation
    leads, so the levels differ from the first word even in a narrow cell."""
    if not value or value not in Level.values:
        return DASH
    abbr = level_abbr(value)
    words = level(value).removesuffix(f" ({abbr})")
    return f"{abbr} — {words}"


def kind(value) -> str:
    return _choice(SubjectKind, value)


def step(value) -> str:
    return _choice(Step, value)


def excluded_reason(value) -> str:
    return _choice(ExcludedReason, value)


def cycle_state(value) -> str:
    return _choice(CycleState, value)


def opinion_source(value) -> str:
    return _choice(OpinionSource, value)


def case_kind(value) -> str:
    return _choice(CaseKind, value)


def unit_kind(value) -> str:
    return _choice(UnitKind, value)


def position_kind(value) -> str:
    return _choice(PositionKind, value)


POOL_GROUPS = {
    "leaders": _("Leaders and managers"),
    "members": _("Party members"),
}


def pool(key: str) -> str:
    """A cap pool ("11151/leaders", "11151/party_organization/subordinate_cell") as the group
    of similar subjects it is: "Cán bộ lãnh đạo, quản lý", "Tổ chức đảng — Chi bộ trực thuộc".
    The deciding unit's number is left out: the page already names the unit."""
    parts = str(key or "").split("/")
    if len(parts) == 2 and parts[1] in POOL_GROUPS:
        return str(POOL_GROUPS[parts[1]])
    if len(parts) == 3 and parts[1] in SubjectKind.values:
        return f"{kind(parts[1])} — {unit_kind(parts[2])}" if parts[2] else kind(parts[1])
    return DASH


# The documents' kinds as their numbers abbreviate them, and as people write them out.
DOCUMENT_KINDS = {
    "QĐ": (_("Regulation"), "Quy định"),
    "HD": (_("Guidance"), "Hướng dẫn"),
    "KL": (_("Conclusion"), "Kết luận"),
    "KH": (_("Plan"), "Kế hoạch"),
}
_DOCUMENT = re.compile(r"^(QĐ|HD|KL|KH) (\d+-[^\s,(]+)")
_MARKS = re.compile(r"\s*\[(?:C1|C2|INF|UNV)\].*$")


def document(text: str) -> str:
    """ "QĐ 366-QĐ/TW (30/8/2025)" → "Quy định 366-QĐ/TW" (English: "Regulation 366-QĐ/TW")."""
    text = str(text or "").strip()
    found = _DOCUMENT.match(text)
    if found:
        english, vietnamese = DOCUMENT_KINDS[found.group(1)]
        word = vietnamese if in_vietnamese() else str(english)
        return f"{word} {found.group(2)}"
    if text.startswith("Local practice"):
        return gettext("Local practice")
    # A source that is not a numbered document (a newspaper, a district plan): its own words,
    # without the working notes in brackets.
    return re.sub(r"\s*\((?:seed|REGULATIONS)[^)]*\)", "", text).strip() or DASH


def _article(article: str) -> str:
    # "§9.1" points into the project's own notes on the regulations, not into a document.
    return "" if not article or article.startswith("§") else article


def citation(value) -> str:
    """Where a rule comes from, as a reader cites it: "Điều 11, Quy định 366-QĐ/TW".

    Takes the rule core's Citation, a stored {"document", "article"} pair, or the text stored
    by earlier versions ("QĐ 366-QĐ/TW (30/8/2025), Điều 11, mức HTXS [C2] R5, R6") — never
    showing confidence marks or rule numbers."""
    if value is None or value == "":
        return ""
    if isinstance(value, dict):
        doc, article = value.get("document", ""), value.get("article", "")
    elif hasattr(value, "document"):
        doc, article = value.document, value.article
    else:
        text = _MARKS.sub("", str(value))
        found = _DOCUMENT.match(text)
        if found:
            rest = text[found.end() :]
            rest = re.sub(r"^\s*\([^)]*\)", "", rest)
            doc, article = found.group(0), rest.strip(" ,").split(",")[0].strip()
        else:
            doc, article = text, ""
    article = _article(article)
    name = document(doc)
    return f"{article}, {name}" if article else name


def regulation(code: str) -> str:
    """A regulation generation ("G366") as the documents it stands for."""
    from xeploai.rules import load_regulation

    try:
        found = load_regulation(code)
    except (KeyError, ValueError, FileNotFoundError):
        return DASH
    return found.title_vi if in_vietnamese() else found.title_en


def number(value) -> str:
    """Points as people write them: 93 → "93", 92.5 → "92,5" in Vietnamese."""
    if value is None or value == "":
        return ""
    try:
        value = Decimal(str(value)).normalize()
    except ArithmeticError:
        return DASH
    text = f"{value:f}"
    return text.replace(".", ",") if in_vietnamese() else text


PROBLEMS = {
    "score_range": _("a score of %(value)s is outside 0–%(maximum)s"),
    "score_missing": _("a group of criteria has no score"),
    "score_groups": _("the scores do not match the criteria groups of this regulation"),
    "sheet_unknown_items": _("the sheet has criteria this form does not know"),
    "sheet_item_range": _("“%(item)s”: %(value)s points is outside 0–%(maximum)s"),
    "sheet_group_over": _(
        "“%(group)s”: %(total)s points is more than the group's maximum %(maximum)s"
    ),
    "kind_not_rated": _("this regulation does not rate a %(kind)s"),
    "no_band": _("no level of this regulation covers a total of %(total)s points"),
    "assessed_level_missing": _(
        "this regulation rates from the assessed level, which is not given yet"
    ),
    "tasks_required": _(
        "the tasks of the year (assigned, completed, on time) are needed for a %(kind)s"
    ),
    "led_tasks_required": _("a leader's level needs the task results of the units they lead"),
    "tasks_negative": _("task counts cannot be negative"),
    "tasks_on_time_late": _(
        "tasks on time (%(on_time)s) and late (%(late)s) must add up to "
        "those completed (%(completed)s)"
    ),
    "tasks_over_total": _("completed and excused tasks are more than the tasks assigned"),
    "tasks_exceeding": _("more tasks exceed requirements than were completed"),
    "led_units_range": _(
        "the units rated not complete must be between 0 and the number of units led"
    ),
    "remediation_range": _("the shortcomings fixed must be between 0 and their number"),
    "confidence_share": _("the share of low-confidence votes must be between 0 and 1"),
    "org_form_required": _("say whether the organization is a party committee or a cell"),
    "period_order": _("the period ends before it starts"),
}


def problem(code: str, params: dict | None = None) -> str:
    """A rule-core problem (FactsError's code and parameters) in the reader's language."""
    params = dict(params or {})
    vi = in_vietnamese()
    for name in ("item", "group"):
        if f"{name}_vi" in params:
            params[name] = params[f"{name}_vi"] if vi else params[f"{name}_en"]
    if "kind" in params:
        params["kind"] = kind(params["kind"]).lower()
    for name in ("value", "maximum", "total"):
        if name in params:
            params[name] = number(params[name]) if params[name] is not None else "…"
    template = PROBLEMS.get(code)
    if template is None:
        return gettext("the facts entered so far are not complete")
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return gettext("the facts entered so far are not complete")


def facts_error(exc) -> str:
    return problem(getattr(exc, "code", ""), getattr(exc, "params", {}))


def problem_json(exc) -> dict:
    """A FactsError as stored data: its code and parameters, as text."""
    params = {k: (None if v is None else str(v)) for k, v in getattr(exc, "params", {}).items()}
    return {"code": getattr(exc, "code", "facts"), "params": params}


def stored_problem(verdict: dict) -> str:
    """The problem a stored verdict recorded, in words (older verdicts stored English text)."""
    found = verdict.get("problem")
    if isinstance(found, dict):
        return problem(found.get("code", ""), found.get("params"))
    return gettext("the facts entered so far are not complete")


def when(moment) -> str:
    """ "01/12/2026 17:58", local time."""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else DASH
