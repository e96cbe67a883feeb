"""The rules that draft an integrity-opinion reply (党风廉政意见回复), as pure functions
of a candidate's findings and petitions and config/integrity.yaml.

Each reason is a dict: ``kind`` (finding | petition | identity), ``effect`` (veto |
objection | notes), ``text`` (Chinese) and the reference (``finding_id`` or
``petition_id``). The draft result is the strongest effect.

>>> rules = integrity_rules()
>>> f = FindingFacts(7, "declaration_gap", "confirmed", "medium", "隐瞒不报房产", "2024-01-31")
>>> r = finding_reason(f, rules, families={})
>>> r["effect"], r["text"]
('veto', '【一票否决】两面人问题（已确认）：隐瞒不报房产')
>>> draft_result([r])
<IntegrityResult.OBJECTION: 'objection'>
>>> draft_result([])
<IntegrityResult.NO_OBJECTION: 'no_objection'>
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from riskgraph.resources import resource_dir
from riskgraph.store.vocab import IntegrityResult
from riskgraph.values import native

SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3}
STATUS_ZH = {"new": "待核查", "assigned": "核查中", "confirmed": "已确认", "escalated": "已移交"}
OUTCOME_ZH = {"pending": "办理中", "substantiated": "属实", "partly_substantiated": "部分属实",
              "unsubstantiated": "不属实", "false_accusation": "诬告陷害"}
CATEGORY_ZH = {"corruption": "贪污贿赂", "abuse_of_power": "滥用职权", "work_style": "作风问题",
               "personnel": "选人用人", "family_business": "亲属经商", "other": "其他"}
RESULT_ZH = {IntegrityResult.NO_OBJECTION: "无不同意见", IntegrityResult.WITH_NOTES: "有说明事项",
             IntegrityResult.OBJECTION: "有不同意见（不宜提拔）"}


@cache
def integrity_rules() -> dict[str, Any]:
    with open(resource_dir("config") / "integrity.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class FindingFacts:
    id: int
    detector: str
    review_status: str
    severity: str
    title: str
    date: str | None = None


def detector_families() -> dict[str, str]:
    """Detector name → family, from the detector registry."""
    from riskgraph import detectors

    return {name: d.family for name, d in detectors.all_detectors().items()}


def is_veto(f: FindingFacts, rules: dict[str, Any], families: dict[str, str]) -> bool:
    veto = rules["veto"]
    two_faced = f.detector in veto["detectors"] or families.get(f.detector) in veto["families"]
    return two_faced and f.review_status in veto["statuses"]


def finding_reason(f: FindingFacts, rules: dict[str, Any], families: dict[str, str]) -> dict:
    status = STATUS_ZH.get(f.review_status, f.review_status)
    if is_veto(f, rules, families):
        effect, text = "veto", f"【一票否决】两面人问题（{status}）：{f.title}"
    else:
        obj = rules["objection"]
        serious = (f.review_status in obj["statuses"]
                   and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[obj["min_severity"]])
        prefix = "个人有关事项报告问题" if f.detector in rules["declaration_detectors"] else "问题线索"
        effect = "objection" if serious else "notes"
        text = f"{prefix}（{status}）：{f.title}"
    return {"kind": "finding", "finding_id": f.id, "detector": f.detector,
            "review_status": f.review_status, "effect": effect, "text": text}


def petition_reason(p: dict[str, Any], rules: dict[str, Any], as_of: dt.date) -> dict | None:
    received = native(p.get("received"))
    if isinstance(received, str):
        received = dt.date.fromisoformat(received)
    age_years = (as_of - received).days / 365.25 if received else 0
    effect = None
    for name in ("objection", "notes"):
        spec = rules[name]["petitions"]
        if p.get("outcome") in spec["outcomes"] and age_years <= spec["within_years"]:
            effect = name
            break
    if effect is None:
        return None
    category = CATEGORY_ZH.get(p.get("category"), p.get("category") or "")
    outcome = OUTCOME_ZH.get(p.get("outcome"), p.get("outcome") or "")
    text = f"信访举报 {p['id']}（{received}，{category}，办理结果：{outcome}）"
    if p.get("summary"):
        text += f"：{p['summary']}"
    return {"kind": "petition", "petition_id": p["id"], "effect": effect, "text": text,
            "source": p.get("source")}


def draft_result(reasons: list[dict]) -> IntegrityResult:
    effects = {r["effect"] for r in reasons}
    if effects & {"veto", "objection"}:
        return IntegrityResult.OBJECTION
    if "notes" in effects:
        return IntegrityResult.WITH_NOTES
    return IntegrityResult.NO_OBJECTION


def draft_reasons(findings: list[FindingFacts], petitions: list[dict], rules: dict[str, Any],
                  families: dict[str, str], as_of: dt.date) -> list[dict]:
    """All reasons for one candidate, strongest first."""
    order = {"veto": 0, "objection": 1, "notes": 2}
    reasons = [finding_reason(f, rules, families) for f in findings]
    reasons += [r for p in petitions if (r := petition_reason(p, rules, as_of))]
    return sorted(reasons, key=lambda r: order[r["effect"]])
