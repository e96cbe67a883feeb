"""言行不一 (words vs deeds): a cadre graded excellent and scored high in democratic
reviews while credible petitions (substantiated or partly substantiated) and adverse
audit/inspection findings about them accumulate in the same window.

Unsubstantiated petitions, false accusations (诬告陷害) and pending ones never count.
Window, counts, grades and scores come from config/detectors/words_vs_deeds.yaml.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from riskgraph.detectors._posts import current_posts, post_evidence, post_text
from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.levels import SEVERITY_ZH
from riskgraph.schema import default_schema
from riskgraph.values import native

_ENUMS = default_schema().enums
OUTCOME_ZH = _ENUMS["petition_outcome"]
SOURCE_ZH = _ENUMS["oversight_source"]
GRADE_ZH = _ENUMS["evaluation_grade"]


def window_start(as_of: date, window_years: int) -> date:
    """First day of the window: 1 January, ``window_years`` years before as_of's year.

    >>> window_start(date(2025, 12, 31), 3)
    datetime.date(2022, 1, 1)
    """
    return date(as_of.year - window_years, 1, 1)


def praised(evaluations: list[dict], high_grades: list[str], high_score: float,
            min_years: int) -> bool:
    """Whether every annual grade is high (in at least ``min_years`` years) and every
    democratic score reaches ``high_score``.

    >>> ev = [{"kind": "annual", "year": 2023, "grade": "excellent"},
    ...       {"kind": "democratic", "year": 2023, "score": 93.5}]
    >>> praised(ev, ["excellent"], 90, 1), praised(ev, ["excellent"], 95, 1)
    (True, False)
    """
    annual = [e for e in evaluations if e["kind"] == "annual"]
    scores = [e["score"] for e in evaluations if e["kind"] == "democratic"]
    if len({e["year"] for e in annual}) < min_years:
        return False
    return (all(e["grade"] in high_grades for e in annual)
            and all(s is not None and s >= high_score for s in scores))


def run(ctx: Context) -> Iterator[Hit]:
    t = ctx.config["thresholds"]
    since = window_start(ctx.as_of, t["window_years"])
    adverse: dict[str, list[dict]] = defaultdict(list)
    params = {"outcomes": t["credible_outcomes"], "severities": t["finding_severities"],
              "since": since, "as_of": ctx.as_of}
    for row in ctx.read_scope_first("detectors/words_vs_deeds_adverse", params):
        adverse[row["person_id"]].append({**row, "day": native(row["day"])})
    candidates = sorted(p for p, items in adverse.items() if len(items) >= t["min_adverse"])
    if not candidates:
        return
    evals: dict[str, list[dict]] = defaultdict(list)
    for row in ctx.graph.read("detectors/words_vs_deeds_evaluations", {
            "ids": candidates, "first_year": since.year, "last_year": ctx.as_of.year}):
        evals[row["person_id"]].append(row)
    posts = current_posts(ctx.graph, candidates, ctx.as_of)
    for pid in candidates:
        if evals[pid] and praised(evals[pid], t["high_grades"], t["high_score"],
                                  t["min_evaluated_years"]):
            yield _hit(pid, sorted(adverse[pid], key=lambda r: (r["day"], r["item_id"])),
                       evals[pid], posts.get(pid, []))


def _hit(pid: str, items: list[dict], evals: list[dict], posts: list[dict]) -> Hit:
    name = evals[0]["person_name"]
    ev = Evidence()
    ev.node("Person", pid, name, evals[0]["person_source"])
    post_evidence(ev, posts)
    words = []
    for e in evals:
        ev.node("Evaluation", e["eval_id"], f"{e['year']}年度{'年度考核' if e['kind'] == 'annual' else '民主测评'}",
                e["source"], year=e["year"], kind=e["kind"], grade=e["grade"], score=e["score"])
        ev.edge("EVALUATES", e["eval_id"], pid)
        words.append(f"{e['year']}年度考核{GRADE_ZH.get(e['grade'], e['grade'])}" if e["kind"] == "annual"
                     else f"{e['year']}年民主测评{e['score']:g}分")
    deeds = []
    for r in items:
        day = r["day"].isoformat()
        if r["kind"] == "petition":
            ev.node("Petition", r["item_id"], r["summary"] or r["item_id"], r["source"],
                    received=r["day"], outcome=r["detail"], category=r["category"])
            ev.edge("ABOUT", r["item_id"], pid, r["day"], source=r["source"])
            deeds.append(f"{day}受理的信访举报（{r['summary'] or r['category']}）经查"
                         f"{OUTCOME_ZH.get(r['detail'], r['detail'])}")
        else:
            ev.node("OversightFinding", r["item_id"], r["summary"] or r["item_id"], r["source"],
                    date=r["day"], severity=r["detail"], source_kind=r["category"])
            ev.edge("CONCERNS_PERSON", r["item_id"], pid, r["day"], source=r["source"])
            deeds.append(f"{day}{SOURCE_ZH.get(r['category'], r['category'])}发现问题"
                         f"（{r['summary']}，{SEVERITY_ZH.get(r['detail'], r['detail'])}）")
    where = post_text(posts)
    explanation = (f"{name}{('（' + where + '）') if where else ''}同期考核测评评价较高（"
                   f"{'、'.join(words)}），但{items[0]['day'].year}年以来有{len(items)}项可信的"
                   f"反面情况：{'；'.join(deeds)}。评价与事实不符，存在“两面人”迹象。")
    ev.note(explanation)
    return Hit(
        entities=[Entity("Person", pid, name)] + [
            Entity("Petition" if r["kind"] == "petition" else "OversightFinding", r["item_id"])
            for r in items],
        subjects=[pid], orgs=sorted({p["org_id"] for p in posts}),
        title=f"言行不一：{name}考核优秀但{len(items)}项举报或问题属实",
        explanation=explanation, evidence=ev, date=items[-1]["day"],
        facts={"adverse": [r["item_id"] for r in items],
               "evaluations": [e["eval_id"] for e in evals]},
    )


DETECTOR = Detector(
    name="words_vs_deeds",
    title="言行不一",
    family="two_faced",
    rule=("年度考核连续优秀、民主测评得分较高，而同期经查属实或部分属实的信访举报、"
          "审计巡察发现的问题累计达到规定数量的，提示“两面人”风险（不实举报、诬告陷害不计）。"),
    citation="《中国共产党纪律处分条例》（2023年）第五十三条；《关于新形势下党内政治生活的若干准则》",
    version="1",
    run=run,
    scoped=True,
    description="High evaluations while credible petitions or adverse oversight findings accumulate.",
)
