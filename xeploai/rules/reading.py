"""Reading single values of a generation file: numbers, levels, subject kinds, citations and
reasons, and `$name` references to its settings. Errors name the file and the place inside
it, because the people who maintain rule data are not expected to read Python."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from .enums import Confidence, Level, ReasonKind, SubjectKind
from .model import Citation, Reason, Setting


class RegulationDataError(ValueError):
    """Regulation data that cannot be used; the message says which file and where."""


class Reader:
    """Reads single values of one generation file (numbers, levels, kinds, citations,
    reasons, `$setting` references), failing with the file's name and the place inside it."""

    name: str
    docs: Mapping[str, str]
    settings: Mapping[str, Setting]

    def fail(self, where: str, message: str) -> RegulationDataError:
        return RegulationDataError(f"{self.name}: {where}: {message}")

    def need(self, table: Mapping[str, Any], key: str, where: str) -> Any:
        if key not in table:
            raise self.fail(where, f"missing '{key}'")
        return table[key]

    # values ----------------------------------------------------------------------------

    def resolve(self, value: Any, where: str) -> Any:
        if isinstance(value, str) and value.startswith("$"):
            name = value[1:]
            if name not in self.settings:
                raise self.fail(where, f"refers to unknown setting {name!r}")
            return self.settings[name].value
        return value

    def fraction(self, value: Any, where: str) -> Fraction:
        value = self.resolve(value, where)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.fail(where, f"write numbers as integers or quoted strings, got {value!r}")
        try:
            return Fraction(value)
        except (ValueError, ZeroDivisionError) as exc:
            raise self.fail(where, f"not a number: {value!r}") from exc

    def decimal(self, value: Any, where: str) -> Decimal:
        value = self.resolve(value, where)
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise self.fail(where, f"write numbers as integers or quoted strings, got {value!r}")
        try:
            result = Decimal(str(value))
        except InvalidOperation as exc:
            raise self.fail(where, f"not a number: {value!r}") from exc
        if not result.is_finite():
            raise self.fail(where, f"not a finite number: {value!r}")
        return result

    def level(self, value: Any, where: str) -> Level:
        value = self.resolve(value, where)
        try:
            return Level(value)
        except ValueError as exc:
            raise self.fail(where, f"unknown level {value!r}") from exc

    def kinds(self, value: Any, where: str) -> frozenset[SubjectKind]:
        if value == "all":
            return frozenset(SubjectKind)
        try:
            return frozenset(SubjectKind(v) for v in value)
        except ValueError as exc:
            raise self.fail(where, f"unknown subject kind in {value!r}") from exc

    def citation(self, raw: Any, where: str) -> Citation:
        if not isinstance(raw, dict):
            raise self.fail(where, "every rule needs a 'source' table (doc, article, confidence)")
        doc = self.need(raw, "doc", where + ".source")
        try:
            confidence = Confidence(self.need(raw, "confidence", where + ".source"))
        except ValueError as exc:
            raise self.fail(
                where, f"confidence must be one of {[c.value for c in Confidence]}"
            ) from exc
        return Citation(
            document=self.docs.get(doc, doc),
            article=str(self.need(raw, "article", where + ".source")),
            clause=str(raw.get("clause", "")),
            confidence=confidence,
            rules=tuple(raw.get("rules", ())),
            source_keys=tuple(raw.get("keys", ())),
        )

    def reason(self, raw: Mapping[str, Any], where: str, kind: ReasonKind) -> Reason:
        return Reason(
            code=str(self.need(raw, "code", where)),
            kind=ReasonKind(raw.get("kind", kind)),
            message_vi=str(self.need(raw, "vi", where)),
            message_en=str(self.need(raw, "en", where)),
            citation=self.citation(raw.get("source"), where),
        )
