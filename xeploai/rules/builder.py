"""Building a Regulation from the parsed (and layered) data of one generation file.

Errors name the file and the place inside it, because the people who maintain rule data
are not expected to read Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from . import predicates
from .enums import (
    LEVELS_BEST_FIRST,
    Confidence,
    ExclusionReason,
    Level,
    ReasonKind,
    Relation,
    SubjectKind,
)
from .model import (
    AggregationPolicy,
    AwardRule,
    Band,
    CapRule,
    Condition,
    ExclusionRule,
    KindPlan,
    LevelLabel,
    OrderRule,
    Reason,
    RecordRule,
    Regulation,
    Setting,
    SheetGroup,
    SheetItem,
    SheetTemplate,
    SiblingRule,
    Trigger,
)
from .reading import Reader

CAP_BASES = frozenset({"good", "good_and_above", "excellent", "pool_total"})
ROUNDINGS = frozenset({"floor", "half_up", "ceil"})
AGGREGATION_METHODS = frozenset({"mean_score", "mean_rank", "worst", "own_with_ceiling"})


class _Builder(Reader):
    def __init__(self, name: str, raw: Mapping[str, Any], overrides: Mapping[str, Any]) -> None:
        self.name = name
        self.raw = raw
        self.docs = raw.get("documents", {})
        self.settings = self._settings(raw.get("settings", {}), overrides)

    # sections --------------------------------------------------------------------------

    def _settings(self, raw: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Setting]:
        out: dict[str, Setting] = {}
        for name, table in raw.items():
            where = f"settings.{name}"
            default = self.need(table, "value", where)
            value = overrides.get(name, default)
            if type(value) is not type(default):
                raise self.fail(
                    where, f"override {value!r} must have the type of the default {default!r}"
                )
            choices = table.get("choices")
            if choices is not None and value not in choices:
                raise self.fail(where, f"{value!r} is not one of {choices}")
            out[name] = Setting(
                name=name,
                value=value,
                default=default,
                reference=str(self.need(table, "reference", where)),
                confidence=Confidence(self.need(table, "confidence", where)),
                description_en=str(self.need(table, "en", where)),
            )
        unknown = set(overrides) - set(out)
        if unknown:
            raise self.fail(
                "settings", f"unknown setting(s) {sorted(unknown)}; known: {sorted(out)}"
            )
        return out

    def enabled(self, raw: Mapping[str, Any], where: str) -> bool:
        value = self.resolve(raw.get("enabled", True), where + ".enabled")
        if not isinstance(value, bool):
            raise self.fail(where, "'enabled' must be true/false or a boolean setting")
        return value

    def build(self) -> Regulation:
        raw = self.raw
        code = str(self.need(raw, "code", "top"))
        if f"{code}.toml" != self.name:
            raise self.fail("code", f"{code!r} does not match the file name")
        reasons = {
            name: self.reason(table, f"reasons.{name}", ReasonKind.NOTE)
            for name, table in raw.get("reasons", {}).items()
        }
        effective_to = raw.get("effective_to")
        groups = {
            g: self.decimal(v, f"scores.groups.{g}")
            for g, v in raw.get("scores", {}).get("groups", {}).items()
        }
        bands = self._bands(raw.get("scores", {}).get("bands", []))
        plans = self._plans(raw, bands, reasons)
        caps = tuple(self._cap(c, f"caps[{i}]") for i, c in enumerate(raw.get("caps", [])))
        reg = Regulation(
            code=code,
            title_vi=str(self.need(raw, "title_vi", "top")),
            title_en=str(self.need(raw, "title_en", "top")),
            effective_from=self.need(raw, "effective_from", "top"),
            effective_to=effective_to,
            score_groups=MappingProxyType(groups),
            score_group_items=tuple(groups.items()),
            bands=bands,
            labels=self._labels(self.need(raw, "labels", "top")),
            plans=MappingProxyType(plans),
            reasons=MappingProxyType(reasons),
            caps=tuple(c for c in caps if c.enabled),
            exclusions=tuple(self._exclusions(raw.get("exclusions", []))),
            order_rules=tuple(self._order(raw.get("order", []))),
            sibling_rules=tuple(self._siblings(raw.get("siblings", []))),
            aggregation=MappingProxyType(self._aggregation(raw.get("aggregation", {}))),
            sheets=MappingProxyType(self._sheets(raw.get("sheets", []), groups)),
            settings=MappingProxyType(self.settings),
            awards=tuple(
                self._award(a, f"awards[{i}]") for i, a in enumerate(raw.get("awards", []))
            ),
            appointment_record=self._record(raw.get("appointment_record")),
            raw=MappingProxyType(dict(raw)),
        )
        self._check_reasons(reg)
        if not isinstance(reg.effective_from, date) or (
            effective_to is not None and not isinstance(effective_to, date)
        ):
            raise self.fail("effective_from/effective_to", "write dates as TOML dates (2025-08-30)")
        return reg

    def _check_reasons(self, reg: Regulation) -> None:
        """The fixed reasons classify may emit must exist for the features the data uses."""
        needed = set()
        for plan in reg.plans.values():
            if plan.basis == "assessed":
                needed.add("assessed")
            if any(plan.conditions.values()):
                needed |= {"cascade", "conditions_exhausted", "no_cascade"}
            if any(t.mitigable for t in plan.triggers):
                needed.add("discretion")
        if "head_not_above_collective" in reg.settings:
            needed.add("head_above_collective")
        missing = sorted(needed - set(reg.reasons))
        if missing:
            raise self.fail("reasons", f"missing fixed reason(s) {missing}")

    def _labels(self, raw: Mapping[str, Any]) -> Mapping[SubjectKind, Mapping[Level, LevelLabel]]:
        default = raw.get("default")
        out: dict[SubjectKind, Mapping[Level, LevelLabel]] = {}
        for kind in SubjectKind:
            table = raw.get(kind.value, default)
            if table is None:
                raise self.fail("labels", f"no labels for {kind}")
            labels = {}
            for level in Level:
                entry = self.need(table, level.value, f"labels.{kind.value}")
                labels[level] = LevelLabel(vi=entry["vi"], en=entry["en"], abbr=entry["abbr"])
            out[kind] = MappingProxyType(labels)
        return MappingProxyType(out)

    def _bands(self, raw: Iterable[Mapping[str, Any]]) -> tuple[Band, ...]:
        bands = tuple(
            Band(
                level=self.level(b["level"], f"scores.bands[{i}]"),
                minimum=self.decimal(b["min"], f"scores.bands[{i}].min"),
                reason=self.reason(b, f"scores.bands[{i}]", ReasonKind.DECISIVE),
            )
            for i, b in enumerate(raw)
        )
        if bands:
            if [b.level for b in bands] != list(LEVELS_BEST_FIRST):
                raise self.fail("scores.bands", "list one band per level, best first")
            if any(a.minimum <= b.minimum for a, b in zip(bands, bands[1:], strict=False)):
                raise self.fail(
                    "scores.bands", "minimum scores must fall from one band to the next"
                )
        return bands

    def _plans(
        self, raw: Mapping[str, Any], bands: tuple[Band, ...], reasons: Mapping[str, Reason]
    ) -> dict[SubjectKind, KindPlan]:
        basis_raw = self.need(raw, "basis", "top")
        triggers = [
            self._trigger(t, f"triggers[{i}]") for i, t in enumerate(raw.get("triggers", []))
        ]
        conditions = [
            self._condition(c, f"conditions[{i}]") for i, c in enumerate(raw.get("conditions", []))
        ]
        plans = {}
        for kind in self.kinds(self.need(raw, "rated_kinds", "top"), "rated_kinds"):
            basis = basis_raw.get(kind.value, basis_raw.get("default"))
            if basis not in ("score", "assessed"):
                raise self.fail("basis", f"basis for {kind} must be 'score' or 'assessed'")
            if basis == "score" and (not bands or not raw.get("scores", {}).get("groups")):
                raise self.fail(
                    "scores", f"{kind} is rated on a score but no groups or bands are defined"
                )
            by_level = {
                lvl: tuple(
                    c for c in conditions if c is not None and kind in c.kinds and c.level is lvl
                )
                for lvl in LEVELS_BEST_FIRST[:3]
            }
            plans[kind] = KindPlan(
                basis=basis,
                triggers=tuple(t for t in triggers if t is not None and kind in t.kinds),
                conditions=MappingProxyType(by_level),
                conditions_by_rank=tuple(by_level[lvl] for lvl in LEVELS_BEST_FIRST[:3]),
                cascade=bool(self.settings["cascade"].value)
                if "cascade" in self.settings
                else True,
                head_capped="head_not_above_collective" in self.settings
                and bool(self.settings["head_not_above_collective"].value),
                assessed=reasons.get("assessed"),
                cascaded=reasons.get("cascade"),
                exhausted=reasons.get("conditions_exhausted"),
                discretion=reasons.get("discretion"),
                no_cascade=reasons.get("no_cascade"),
                long_leave=reasons.get("long_leave"),
                state_rating_above=reasons.get("state_rating_above"),
                head_above_collective=reasons.get("head_above_collective"),
            )
        return plans

    def _bound(self, raw: Mapping[str, Any], where: str) -> Any:
        name = self.need(raw, "predicate", where)
        param = raw.get("param")
        try:
            return name, predicates.bind(
                name, None if param is None else self.fraction(param, where + ".param")
            )
        except (KeyError, ValueError) as exc:
            raise self.fail(where, str(exc)) from exc

    def _trigger(self, raw: Mapping[str, Any], where: str) -> Trigger | None:
        ceiling_raw = self.resolve(raw.get("ceiling", Level.NOT_COMPLETE.value), where + ".ceiling")
        if not self.enabled(raw, where) or ceiling_raw == "none":
            return None
        name, check = self._bound(raw, where)
        return Trigger(
            code=str(self.need(raw, "code", where)),
            predicate=name,
            kinds=self.kinds(self.need(raw, "kinds", where), where),
            mitigable=bool(raw.get("mitigable", False)),
            reason=self.reason(raw, where, ReasonKind.DECISIVE),
            check=check,
            ceiling=self.level(ceiling_raw, where + ".ceiling"),
        )

    def _condition(self, raw: Mapping[str, Any], where: str) -> Condition | None:
        if not self.enabled(raw, where):
            return None
        name, check = self._bound(raw, where)
        level = self.level(self.need(raw, "level", where), where)
        if level is Level.NOT_COMPLETE:
            raise self.fail(where, "the lowest level has triggers, not conditions")
        return Condition(
            code=str(self.need(raw, "code", where)),
            level=level,
            predicate=name,
            kinds=self.kinds(self.need(raw, "kinds", where), where),
            reason=self.reason(raw, where, ReasonKind.CONDITION),
            check=check,
        )

    def _cap(self, raw: Mapping[str, Any], where: str) -> CapRule:
        counted = self.resolve(self.need(raw, "counted", where), where)
        if counted != "distinguished":
            self.level(counted, where + ".counted")
        base = self.resolve(self.need(raw, "base", where), where)
        rounding = self.resolve(raw.get("rounding", "floor"), where)
        if base not in CAP_BASES:
            raise self.fail(where, f"base {base!r} is not one of {sorted(CAP_BASES)}")
        if rounding not in ROUNDINGS:
            raise self.fail(where, f"rounding {rounding!r} is not one of {sorted(ROUNDINGS)}")
        outstanding = raw.get("outstanding_ratio")
        small_below = raw.get("small_pool_below")
        if ("ratio" in raw) == (small_below is not None):
            raise self.fail(
                where, "give either 'ratio' or 'small_pool_below' with 'small_pool_max'"
            )
        return CapRule(
            code=str(self.need(raw, "code", where)),
            kinds=self.kinds(self.need(raw, "kinds", where), where),
            counted=str(counted),
            base=str(base),
            ratio=None if "ratio" not in raw else self.fraction(raw["ratio"], where + ".ratio"),
            rounding=str(rounding),
            pool=str(self.resolve(self.need(raw, "pool", where), where)),
            outstanding_ratio=None if outstanding is None else self.fraction(outstanding, where),
            small_pool_below=None if small_below is None else int(self.resolve(small_below, where)),
            small_pool_max=None
            if small_below is None
            else int(self.resolve(raw["small_pool_max"], where)),
            enabled=self.enabled(raw, where),
            label_vi=str(self.need(raw, "vi", where)),
            label_en=str(self.need(raw, "en", where)),
            citation=self.citation(raw.get("source"), where),
        )

    def _exclusions(self, raw: Iterable[Mapping[str, Any]]) -> Iterable[ExclusionRule]:
        for i, e in enumerate(raw):
            where = f"exclusions[{i}]"
            if not self.enabled(e, where):
                continue
            yield ExclusionRule(
                reason=ExclusionReason(self.need(e, "reason", where)),
                citation=self.citation(e.get("source"), where),
                message_vi=str(self.need(e, "vi", where)),
                message_en=str(self.need(e, "en", where)),
                months=int(e.get("months", 0)),
            )

    def _order(self, raw: Iterable[Mapping[str, Any]]) -> Iterable[OrderRule]:
        for i, o in enumerate(raw):
            where = f"order[{i}]"
            first = self.need(o, "first", where)
            if first not in ("source", "target") or o.get("graph") not in ("decision", "review"):
                raise self.fail(
                    where, "graph must be decision/review and first must be source/target"
                )
            yield OrderRule(
                graph=o["graph"],
                relation=Relation(self.need(o, "relation", where)),
                target_kinds=self.kinds(o.get("target_kinds", "all"), where),
                first=first,
                citation=self.citation(o.get("source"), where),
            )

    def _siblings(self, raw: Iterable[Mapping[str, Any]]) -> Iterable[SiblingRule]:
        for i, s in enumerate(raw):
            where = f"siblings[{i}]"
            yield SiblingRule(
                graph=self.need(s, "graph", where),
                before=Relation(self.need(s, "before", where)),
                after=Relation(self.need(s, "after", where)),
                citation=self.citation(s.get("source"), where),
            )

    def _aggregation(self, raw: Mapping[str, Any]) -> dict[str, AggregationPolicy]:
        out = {}
        for name, a in raw.items():
            where = f"aggregation.{name}"
            method = self.resolve(self.need(a, "method", where), where)
            if method not in AGGREGATION_METHODS:
                raise self.fail(
                    where, f"method {method!r} is not one of {sorted(AGGREGATION_METHODS)}"
                )
            ceiling = self.resolve(a.get("kht_part_ceiling", "none"), where)
            out[name] = AggregationPolicy(
                name=name,
                method=method,
                kht_part_ceiling=None if ceiling == "none" else self.level(ceiling, where),
                flag_consecutive_kht=int(a.get("flag_consecutive_kht", 0)),
                expected_parts=int(self.need(a, "expected_parts", where)),
                citation=self.citation(a.get("source"), where),
            )
        return out

    def _award(self, raw: Mapping[str, Any], where: str) -> AwardRule:
        years = self.need(raw, "years", where)
        if isinstance(years, bool) or not isinstance(years, int) or years < 1:
            raise self.fail(where, f"years must be a whole number of at least 1, got {years!r}")
        return AwardRule(
            code=str(self.need(raw, "code", where)),
            level=self.level(self.need(raw, "level", where), where),
            years=years,
            kinds=self.kinds(self.need(raw, "kinds", where), where),
            label_vi=str(self.need(raw, "vi", where)),
            label_en=str(self.need(raw, "en", where)),
            citation=self.citation(raw.get("source"), where),
        )

    def _record(self, raw: Mapping[str, Any] | None) -> RecordRule | None:
        if raw is None:
            return None
        where = "appointment_record"
        years = self.need(raw, "years", where)
        if isinstance(years, bool) or not isinstance(years, int) or years < 1:
            raise self.fail(where, f"years must be a whole number of at least 1, got {years!r}")
        return RecordRule(
            years=years,
            label_vi=str(self.need(raw, "vi", where)),
            label_en=str(self.need(raw, "en", where)),
            citation=self.citation(raw.get("source"), where),
        )

    def _sheets(
        self, raw: Iterable[Mapping[str, Any]], groups: Mapping[str, Decimal]
    ) -> dict[str, SheetTemplate]:
        out = {}
        for i, s in enumerate(raw):
            where = f"sheets[{i}]"
            sheet_groups = []
            for j, g in enumerate(self.need(s, "groups", where)):
                gw = f"{where}.groups[{j}]"
                code = self.need(g, "code", gw)
                max_points = self.decimal(self.need(g, "max", gw), gw)
                if groups.get(code) != max_points:
                    raise self.fail(
                        gw, f"group {code!r} must match scores.groups ({groups.get(code)})"
                    )
                items = tuple(
                    SheetItem(
                        code=self.need(it, "code", gw),
                        label_vi=self.need(it, "vi", gw),
                        label_en=self.need(it, "en", gw),
                        weight=None if "weight" not in it else self.decimal(it["weight"], gw),
                    )
                    for it in self.need(g, "items", gw)
                )
                weights = [it.weight for it in items]
                if any(w is not None for w in weights):
                    if (
                        any(w is None for w in weights)
                        or sum(w for w in weights if w is not None) != max_points
                    ):
                        raise self.fail(
                            gw,
                            f"sub-weights must be given for every item and add up to {max_points}",
                        )
                sheet_groups.append(
                    SheetGroup(code, g.get("vi", ""), g.get("en", ""), max_points, items)
                )
            code = self.need(s, "code", where)
            out[code] = SheetTemplate(
                code=code,
                title_vi=self.need(s, "title_vi", where),
                title_en=self.need(s, "title_en", where),
                kinds=self.kinds(self.need(s, "kinds", where), where),
                groups=tuple(sheet_groups),
                citation=self.citation(s.get("source"), where),
            )
        return out
