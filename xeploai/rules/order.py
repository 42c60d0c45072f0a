"""Who must be decided (R38) or reviewed (R37) before whom, from the relations of a cycle."""

from __future__ import annotations

import graphlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from .enums import Relation, SubjectKind
from .model import Citation, Regulation


@dataclass(frozen=True, slots=True)
class Subject:
    id: str
    kind: SubjectKind


@dataclass(frozen=True, slots=True)
class Link:
    """``source`` stands in ``relation`` to ``target`` (a member is member_of a cell)."""

    source: str
    relation: Relation
    target: str


@dataclass(frozen=True, slots=True)
class Readiness:
    subject: str
    ready: bool
    # Undecided direct prerequisites, and every undecided prerequisite in an order that works.
    waiting_for: tuple[str, ...]
    chain: tuple[str, ...]
    citations: tuple[Citation, ...]


class OrderGraph:
    def __init__(
        self, subjects: Iterable[Subject], links: Iterable[Link], regulation: Regulation, graph: str
    ) -> None:
        self.subjects = {s.id: s for s in subjects}
        self.before: dict[str, dict[str, Citation]] = {sid: {} for sid in self.subjects}
        links = list(links)
        for link in links:
            for end in (link.source, link.target):
                if end not in self.subjects:
                    raise ValueError(
                        f"link {link.source} {link.relation} {link.target}: unknown subject {end!r}"
                    )
        for rule in regulation.order_rules:
            if rule.graph != graph:
                continue
            for link in links:
                if (
                    link.relation is rule.relation
                    and self.subjects[link.target].kind in rule.target_kinds
                ):
                    first, then = (
                        (link.source, link.target)
                        if rule.first == "source"
                        else (link.target, link.source)
                    )
                    self._edge(first, then, rule.citation)
        for sibling in regulation.sibling_rules:
            if sibling.graph != graph:
                continue
            for a in links:
                if a.relation is not sibling.before:
                    continue
                for b in links:
                    if b.relation is sibling.after and b.target == a.target:
                        self._edge(a.source, b.source, sibling.citation)
        try:
            self.batches = tuple(self._batches())
        except graphlib.CycleError as exc:
            raise ValueError(f"the relations make a cycle: {' → '.join(exc.args[1])}") from exc
        # Built once: can_decide is asked for every subject of a batch.
        self._position = {sid: i for i, batch in enumerate(self.batches) for sid in batch}

    def _edge(self, first: str, then: str, citation: Citation) -> None:
        if first != then:
            self.before[then].setdefault(first, citation)

    def _batches(self) -> Iterable[tuple[str, ...]]:
        sorter = graphlib.TopologicalSorter({k: set(v) for k, v in self.before.items()})
        sorter.prepare()
        while sorter.is_active():
            ready = tuple(sorted(sorter.get_ready()))
            yield ready
            sorter.done(*ready)

    def prerequisites(self, subject: str) -> tuple[str, ...]:
        return tuple(sorted(self.before[subject]))

    def can_decide(self, subject: str, decided: Collection[str]) -> Readiness:
        if subject not in self.subjects:
            raise KeyError(f"unknown subject {subject!r}")
        direct = self.before[subject]
        waiting = tuple(sorted(p for p in direct if p not in decided))
        pending: set[str] = set()
        stack = list(waiting)
        while stack:
            current = stack.pop()
            if current in pending:
                continue
            pending.add(current)
            stack.extend(p for p in self.before[current] if p not in decided)
        position = self._position
        chain = tuple(sorted(pending, key=lambda s: (position[s], s)))
        citations = tuple(dict.fromkeys(direct[p] for p in waiting))
        return Readiness(subject, not waiting, waiting, chain, citations)


def decision_graph(
    subjects: Iterable[Subject], links: Iterable[Link], regulation: Regulation
) -> OrderGraph:
    """Rating dependencies of Điều 12.2 (R38): decide a subject only after its prerequisites."""
    return OrderGraph(subjects, links, regulation, "decision")


def review_graph(
    subjects: Iterable[Subject], links: Iterable[Link], regulation: Regulation
) -> OrderGraph:
    """Review meeting order (R37): collective before individuals, head before deputies
    and members."""
    return OrderGraph(subjects, links, regulation, "review")


def can_decide(graph: OrderGraph, subject: str, decided: Collection[str]) -> Readiness:
    return graph.can_decide(subject, decided)
