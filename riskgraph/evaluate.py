"""Accuracy against the generator's planted cases (``riskgraph evaluate GROUND_TRUTH``).

A finding matches a planted case when both name the same detector and exactly the same
entity ids (``riskgraph/generate/GROUND_TRUTH.md`` says which ids each case lists).
Precision = matched findings / all present findings of the detector; recall = matched
positive cases / positive cases. A finding that matches a near-miss (``positive:
false``) is a false positive and is listed as such.

>>> cases = [Case("c1", "d", "v", True, frozenset({"A", "B"})),
...          Case("c2", "d", "near", False, frozenset({"A", "C"}))]
>>> s = score("d", cases, [frozenset({"A", "B"}), frozenset({"A", "C"})])
>>> (s.true_positives, s.false_positives, s.near_miss_hits, s.precision, s.recall)
(1, 1, 1, 0.5, 1.0)
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from riskgraph.store import Finding
from riskgraph.store.vocab import DataStatus


@dataclass(frozen=True)
class Case:
    case: str
    detector: str
    variant: str
    positive: bool
    entities: frozenset[str]


@dataclass
class Score:
    """Precision and recall of one detector. Without planted cases (e.g. a risk score
    that has no ground truth) neither is defined and ``evaluated`` is False."""

    detector: str
    planted: int = 0
    true_positives: int = 0
    near_miss_hits: int = 0
    missed: list[Case] = field(default_factory=list)
    extra: list[frozenset[str]] = field(default_factory=list)     # the false positives

    @property
    def false_positives(self) -> int:
        return len(self.extra)

    @property
    def found(self) -> int:
        return self.true_positives + self.false_positives

    @property
    def evaluated(self) -> bool:
        return bool(self.planted or self.near_miss_hits)

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.planted if self.planted else 1.0


def load_cases(path: Path) -> list[Case]:
    cases = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                cases.append(Case(row["case"], row["detector"], row["variant"],
                                  bool(row["positive"]), frozenset(row["entities"])))
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{path}, line {n}: not a ground-truth row ({exc})") from None
    return cases


def present_findings(session: Session) -> dict[str, list[frozenset[str]]]:
    """Entity id sets of the present findings, by detector."""
    out: dict[str, list[frozenset[str]]] = defaultdict(list)
    rows = session.execute(sa.select(Finding.detector, Finding.entities)
                           .where(Finding.data_status == DataStatus.PRESENT))
    for detector, entities in rows:
        out[detector].append(frozenset(e["id"] for e in entities))
    return out


def score(detector: str, cases: list[Case], found: list[frozenset[str]]) -> Score:
    s = Score(detector)
    positive = {c.entities: c for c in cases if c.positive}
    negative = {c.entities for c in cases if not c.positive}
    s.planted = len(positive)
    matched = set()
    for ids in found:
        if ids in positive:
            s.true_positives += 1
            matched.add(ids)
        else:
            s.extra.append(ids)
            s.near_miss_hits += ids in negative
    s.missed = [c for ids, c in positive.items() if ids not in matched]
    return s


def evaluate(cases: list[Case], findings: dict[str, list[frozenset[str]]],
             detectors: list[str]) -> list[Score]:
    """One score per detector that is implemented or has planted cases."""
    by_detector: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        by_detector[c.detector].append(c)
    names = sorted(set(detectors) | set(by_detector))
    return [score(n, by_detector.get(n, []), findings.get(n, [])) for n in names]


def report(scores: list[Score], implemented: list[str]) -> str:
    """A plain-text table (Chinese headers) with the misses and extras listed under it."""
    lines = [f"{'检测器':<22}{'植入':>6}{'发现':>6}{'命中':>6}{'误报':>6}{'近似误报':>8}"
             f"{'精确率':>8}{'召回率':>8}"]
    for s in scores:
        if s.detector not in implemented:
            lines.append(f"{s.detector:<22}{s.planted:>6}{'—':>6}  （检测器未实现）")
            continue
        if not s.planted and not s.near_miss_hits:
            lines.append(f"{s.detector:<22}{'—':>6}{s.found:>6}  （数据中无植入案例，不计精确率与召回率）")
            continue
        lines.append(f"{s.detector:<22}{s.planted:>6}{s.found:>6}{s.true_positives:>6}"
                     f"{s.false_positives:>6}{s.near_miss_hits:>8}{s.precision:>10.3f}{s.recall:>10.3f}")
    for s in scores:
        if s.detector not in implemented or not s.planted:
            continue
        for c in s.missed[:20]:
            lines.append(f"  漏报 {s.detector} {c.case}（{c.variant}）：{', '.join(sorted(c.entities))}")
        for ids in s.extra[:20]:
            lines.append(f"  误报 {s.detector}：{', '.join(sorted(ids))}")
    return "\n".join(lines)
