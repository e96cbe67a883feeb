"""个人有关事项报告不实 (declaration vs facts): each yearly declaration is compared with
what the graph holds on 31 December of its year — the marriage, the businesses of the
cadre, spouse, children and children's spouses (shareholdings summed per company, and
company roles), real estate of the cadre and spouse, the family's employment and
settling abroad.

A whole item left out is 隐瞒不报 (concealed, deliberate, more serious); an item stating a
smaller area or amount than the facts beyond the tolerance is 漏报 (partial). One finding
per cadre and fact (cadre, relative, company/property) over all affected years; its date
is the 31 January deadline after the first affected year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from riskgraph.detectors._declaration_rules import CONCEALED, Gap, compare
from riskgraph.detectors._posts import BATCH, current_posts, post_evidence
from riskgraph.detectors.base import Context, Detector, Entity, Hit
from riskgraph.evidence import Evidence
from riskgraph.family import load_family, relation_evidence
from riskgraph.kin_skeleton import run_family
from riskgraph.kinship import Family, Relation
from riskgraph.store.vocab import Severity
from riskgraph.ties import ROLE_ZH
from riskgraph.values import native

KIND_ZH = {CONCEALED: "隐瞒不报", "partial": "漏报"}


def run(ctx: Context) -> Iterator[Hit]:
    t = ctx.config["thresholds"]
    decls: dict[tuple[str, int], dict] = {}
    years = {"first_year": ctx.as_of.year - t["lookback_years"], "last_year": ctx.as_of.year}
    for row in ctx.read_scope_first("detectors/declaration_items", years):
        d = decls.setdefault((row["cadre_id"], row["year"]), {**row, "items": []})
        if row["item_id"]:
            d["items"].append(row)
    if not decls:
        return
    cadres = sorted({c for c, _ in decls})
    walks = set(t["business_family"]) | set(t["estate_family"]) | set(t["employment_family"]) \
        | set(t["abroad_family"])
    hops = max(len(w) for w in walks) + 1
    fam = run_family(ctx, cadres, hops)     # in a scoped run without names (read below)
    relations, families = _relations(fam, decls, walks)
    facts = _facts(ctx, sorted(set(cadres) | {r for _, r in relations}))
    by_key: dict[tuple[str, ...], list[Gap]] = defaultdict(list)
    for (cadre, year), d in sorted(decls.items()):
        for gap in compare(cadre, year, d["items"], facts, families[(cadre, year)], t):
            by_key[gap.key].append(gap)
    found = {k[0] for k in by_key}
    if ctx.scope is not None and found:
        # The families of the cadres with gaps, read with names for the relations and
        # the evidence (the same relations).
        fam = load_family(ctx.graph, found, hops=hops)
        relations = _relations(fam, {k: d for k, d in decls.items() if k[0] in found}, walks)[0]
    posts = current_posts(ctx.graph, found, ctx.as_of)
    for key, gaps in sorted(by_key.items()):
        yield _hit(gaps, decls, fam, relations, posts.get(key[0], []), t)


def _relations(fam: Family, decls: dict[tuple[str, int], dict], walks: set[str]
               ) -> tuple[dict[tuple[str, str], Relation], dict[tuple[str, int], dict[str, str]]]:
    """Each (cadre, relative) pair's relation (as of the first declaration year that
    has it), and per declaration the relatives whose walk the rules name, with the walk."""
    relations: dict[tuple[str, str], Relation] = {}
    families: dict[tuple[str, int], dict[str, str]] = {}
    for cadre, year in decls:
        rels = {r: rel for r, rel in fam.relatives(cadre, date(year, 12, 31)).items()
                if rel.walk in walks}
        families[(cadre, year)] = {r: rel.walk for r, rel in rels.items()}
        for r, rel in rels.items():
            relations.setdefault((cadre, r), rel)
    return relations, families


def _facts(ctx: Context, ids: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for i in range(0, len(ids), BATCH):
        for row in ctx.graph.read("detectors/declaration_facts", {"ids": ids[i:i + BATCH]}):
            out[row["person_id"]].append({**row, "start": native(row["start"]),
                                          "end": native(row["end"])})
    return out


def _hit(gaps: list[Gap], decls: dict, fam: Family, relations: dict, posts: list[dict],
         t: dict) -> Hit:
    gaps.sort(key=lambda g: g.year)
    first = gaps[0]
    cadre, relative = first.cadre, first.relative
    kind = CONCEALED if any(g.kind == CONCEALED for g in gaps) else "partial"
    years = sorted({g.year for g in gaps})
    d0 = decls[(cadre, years[0])]
    name = d0["cadre_name"]
    ev = Evidence()
    ev.node("Person", cadre, name, d0["cadre_source"])
    post_evidence(ev, posts)
    for y in years:
        d = decls[(cadre, y)]
        ev.node("Declaration", d["decl_id"], f"{y}年度个人有关事项报告", d["decl_source"],
                year=y, submitted=native(d["submitted"]))
        ev.edge("DECLARED_BY", d["decl_id"], cadre, native(d["submitted"]), source=d["decl_source"])
    rel = relations.get((cadre, relative)) if relative else None
    if rel is not None:
        relation_evidence(ev, fam, rel)
    who = f"其{rel.name}{fam.names.get(relative, relative)}" if rel else "本人"
    entities = [Entity("Person", cadre, name)]
    if relative and first.category != "real_estate":
        entities.append(Entity("Person", relative, fam.names.get(relative, relative)))
    for g in gaps:
        _fact_evidence(ev, g)
        if g.declared:
            ev.node("DeclarationItem", g.declared["item_id"], f"{g.year}年度申报事项",
                    g.declared["item_source"], category=g.category, amount=g.declared.get("amount"),
                    area=g.declared.get("area"), address=g.declared.get("address"))
            ev.edge("ITEM_OF", g.declared["item_id"], decls[(cadre, g.year)]["decl_id"])
    what, target_entity = _describe(gaps, who, kind)
    if target_entity:
        entities.append(target_entity)
    span = f"{years[0]}—{years[-1]}" if len(years) > 1 else f"{years[0]}"
    explanation = (f"{name}在{span}年度个人有关事项报告中{what}，与登记信息不符，"
                   f"属{KIND_ZH[kind]}" + ("（整项未报告，视为故意隐瞒）。" if kind == CONCEALED
                                           else "（报告不完整）。"))
    ev.note(explanation)
    parts = {"kind": kind, "category": first.category, "years": years,
             "fact_value": first.fact_value, "declared_value": first.declared_value}
    return Hit(
        entities=entities, subjects=[cadre], orgs=sorted({p["org_id"] for p in posts}),
        title=f"个人有关事项报告{KIND_ZH[kind]}：{name}{what}"[:200],
        explanation=explanation, evidence=ev, severity=Severity(t["severities"][kind]),
        date=date(years[0] + 1, t["due_month"], t["due_day"]), facts=parts,
    )


def _fact_evidence(ev: Evidence, g: Gap) -> None:
    holder = g.relative or g.cadre
    for r in g.facts:
        if r["kind"] == "estate":
            ev.node("RealEstate", r["target_id"], r["address"], r["source"], area=r["area"],
                    registered=r["start"])
            ev.edge("HELD_BY", r["target_id"], holder, r["start"], source=r["source"])
        elif r["kind"] in ("owns", "director", "employed"):
            ev.node(r["label"], r["target_id"], r["target_name"])
            edge = {"owns": "OWNS", "director": "DIRECTOR_OF", "employed": "EMPLOYED_BY"}[r["kind"]]
            ev.edge(edge, holder, r["target_id"], r["start"], r["end"], r["source"],
                    percent=r["percent"], amount=r["amount"], role=r["role"])
        else:
            ev.node("Person", holder, "", r["source"], abroad_country=r["target_name"],
                    abroad_since=r["start"])


def _describe(gaps: list[Gap], who: str, kind: str) -> tuple[str, Entity | None]:
    texts, entity = [], None
    for cat in dict.fromkeys(g.category for g in gaps):
        of_cat = [x for x in gaps if x.category == cat]
        g = next((x for x in of_cat if x.kind == kind), of_cat[0])
        if cat == "marriage":
            texts.append(f"未报告与{who.removeprefix('其配偶')}的婚姻状况")
        elif cat == "business":
            company = g.facts[0]["target_name"]
            entity = Entity("Company", g.target, company)
            roles = "、".join(dict.fromkeys(ROLE_ZH.get(r["role"], r["role"] or "")
                                            for r in g.facts if r["kind"] == "director"))
            if g.kind == CONCEALED:
                detail = "，".join(x for x in (f"出资{g.fact_value:g}万元" if g.fact_value else "",
                                                f"任{roles}" if roles else "") if x)
                texts.append(f"隐瞒{who}投资经营{company}的情况" + (f"（{detail}）" if detail else ""))
            else:
                texts.append(f"将{who}在{company}的出资{g.fact_value:g}万元少报为{g.declared_value:g}万元")
        elif cat == "real_estate":
            r = g.facts[0]
            entity = Entity("RealEstate", g.target, r["address"])
            owner = "" if who == "本人" else f"{who}名下"
            if g.kind == CONCEALED:
                texts.append(f"隐瞒{owner}房产一套（{r['area']:g}平方米，{r['address']}）")
            else:
                texts.append(f"将{owner}{r['area']:g}平方米的房产（{r['address']}）少报为{g.declared_value:g}平方米")
        elif cat == "family_employment":
            r = g.facts[0]
            entity = Entity(r["label"], g.target, r["target_name"])
            texts.append(f"未报告{who}在{r['target_name']}从业（{r['role'] or '任职'}）的情况")
        elif cat == "family_abroad":
            r = g.facts[0]
            texts.append(f"未报告{who}于{r['start'].isoformat()}移居{r['target_name']}的情况")
    return "；".join(texts), entity


DETECTOR = Detector(
    name="declaration_gap",
    title="个人有关事项报告不实",
    family="two_faced",
    rule=("领导干部个人有关事项报告应如实报告婚姻、配偶子女及其配偶从业和移居国（境）外、"
          "房产、投资经商等事项；整项未报告的为隐瞒不报，报告内容少于实际（超出容差）的为漏报。"),
    citation="《领导干部报告个人有关事项规定》第三条、第四条；《领导干部个人有关事项报告查核结果处理办法》第三条",
    version="1",
    run=run,
    scoped=True,
    description="Declarations compared with marriage, business, real estate, employment and abroad facts.",
)
