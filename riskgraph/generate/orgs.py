"""Organisations of a block and their posts (seats): head, deputies, sections, staff."""

from __future__ import annotations

from riskgraph.generate.model import Block, Org, Seat
from riskgraph.generate.names import place_names

SECTION_NAMES = {
    "organisation_personnel": ("人事", "干部", "组织"),
    "discipline": ("第一监督检查室", "第二监督检查室", "审查调查室", "案件审理室"),
    "audit": ("审计", "经济责任审计", "投资审计"),
    "finance": ("财务", "预算", "国库"),
    "approval": ("行政审批", "项目审批", "许可"),
    "construction": ("工程建设", "建设管理", "质量安全"),
    "procurement": ("政府采购", "采购", "招标管理"),
    "regulation": ("执法监督", "稽查", "市场监管"),
    "general": ("办公室", "综合", "业务"),
}
SECTION_DOMAINS = {
    "approval": ("approval",), "finance": ("funds",), "construction": ("projects",),
    "procurement": ("funds", "projects"), "organisation_personnel": ("personnel",),
}
SUFFIX = {"county": "股", "city": "科", "province": "处"}
CHINESE_ORDINAL = "一二三四五六七八九十"


def _specs(b: Block) -> list[dict]:
    raw, scale = b.cfg.raw, b.cfg.scale
    specs = [dict(s) for s in raw["organisations"]]
    if b.level == "county":
        t = raw["townships"]
        lo, hi = scale["townships"]
        taken: set[str] = set()
        for name in place_names(b.rng, b.rng.randint(lo, hi), taken):
            suffix = "镇" if b.rng.random() < 0.75 else "乡"
            specs.append({"kind": t["kind"], "name": "{r}" + name + suffix, "tier": "bureau",
                          "weight": t["weight"], "head": t["head"], "t": suffix,
                          "deputy_titles": t["deputy_titles"], "sections": t["sections"],
                          "domains": t["domains"], "level": "township"})
    for s in raw["institutions"][: scale["institutions"]]:
        specs.append({**s, "kind": "institution", "tier": "bureau"})
    for s in raw["state_enterprises"][: scale["state_enterprises"]]:
        specs.append({**s, "kind": "state_enterprise", "tier": "bureau", "head": "董事长",
                      "deputy": "副总经理", "parent": "government"})
    return specs


def _fill(text: str, b: Block, spec: dict) -> str:
    name = b.region.name
    ju = "厅" if b.level == "province" else "局"
    return text.format(r=name, ju=ju, gov=name[-1], t=spec.get("t", ""))


def _sizes(b: Block, specs: list[dict]) -> list[int]:
    target = b.cfg.scale["cadres"].get(b.level, 0) / b.cfg.background["fill_rate"]
    total_w = sum(s["weight"] for s in specs)
    return [max(7, round(s["weight"] / total_w * target)) for s in specs]


def build_orgs(b: Block) -> None:
    specs = _specs(b)
    upper = b.upper_block()
    by_kind: dict[str, Org] = {}
    gov_deputies: list[Seat] = []
    for n, (spec, size) in enumerate(zip(specs, _sizes(b, specs)), start=1):
        name = spec["name"]
        if isinstance(name, dict):
            name = name[b.level]
        kind = spec["kind"]
        if kind in ("party_committee",):
            parent = upper.get(kind, (None,))[0]
        elif kind in ("government", "discipline", "organisation_dept", "township") or \
                spec.get("tier") == "key" or kind == "other":
            parent = by_kind["party_committee"].id
        elif kind == "institution":
            parent = by_kind[spec["parent"]].id
        else:
            parent = by_kind["government"].id
        org = Org(id=f"ORG{b.region.code}{n:03d}", name=_fill(name, b, spec), kind=kind,
                  level=spec.get("level", b.level), tier=spec["tier"], parent=parent,
                  region=b.region.code, regulates=tuple(spec.get("regulates", ())), spec=spec)
        b.orgs.append(org)
        by_kind.setdefault(kind, org)
        _seats(b, org, size, by_kind, upper, gov_deputies)
        if kind == "government":
            gov_deputies = list(org.deputies)
    b.ctx.upper[b.region.code] = {k: (o.id, o.head.id) for k, o in by_kind.items()}


def _head_reports_to(org: Org, by_kind: dict[str, Org], upper: dict, gov_deputies: list[Seat],
                     n: int) -> str | None:
    kind = org.kind
    if kind == "party_committee":
        return upper.get(kind, (None, None))[1]
    party_head = by_kind["party_committee"].head.id
    if kind == "institution":
        return by_kind[org.spec["parent"]].head.id
    if org.tier in ("top", "key") or kind in ("government", "township"):
        return party_head
    if gov_deputies:
        return gov_deputies[n % len(gov_deputies)].id
    return by_kind["government"].head.id


def _seats(b: Block, org: Org, size: int, by_kind, upper, gov_deputies) -> None:
    spec = org.spec
    ranks = b.cfg.raw["ranks"][b.level][org.tier]
    counter = [0]

    def seat(name: str, role: str, category: str, domains, reports_to, is_head=False,
             lead=False) -> Seat:
        counter[0] += 1
        s = Seat(id=f"PST{org.id[3:]}{counter[0]:04d}", name=f"{org.name}{name}", org=org,
                 rank=ranks[role], category=category, domains=tuple(domains),
                 is_head=is_head, in_leadership=lead, reports_to=reports_to, role=role)
        org.seats.append(s)
        b.seats.append(s)
        return s

    head_title = _fill(spec.get("head", "{ju}长"), b, spec)
    lead_domains = spec.get("domains", ())
    org.head = seat(head_title, "head", "leadership", lead_domains,
                    _head_reports_to(org, by_kind, upper, gov_deputies, len(b.orgs)),
                    is_head=True, lead=True)
    org.head.protected = org.kind in b.cfg.rules["region_avoidance_kinds"] or org.kind == "township"
    n_dep = spec.get("deputies") or min(6, max(2, round(size / 30)))
    titles = spec.get("deputy_titles") or [_fill(spec.get("deputy", "副{ju}长"), b, spec)]
    for i in range(n_dep):
        title = _fill(titles[min(i, len(titles) - 1)], b, spec)
        org.deputies.append(seat(title, "deputy", "leadership", lead_domains, org.head.id, lead=True))
    rest = max(4, size - 1 - n_dep)
    n_sec = min(80, max(2, round(rest / 9)))
    cats = list(dict.fromkeys(list(spec.get("sections", ["general"])) +
                              ["organisation_personnel", "finance"]))
    suffix = SUFFIX[b.level]
    used: dict[str, int] = {}
    staff_left = rest - n_sec
    for i in range(n_sec):
        cat = cats[i] if i < len(cats) else cats[b.rng.randrange(len(cats))]
        k = used.get(cat, 0)
        used[cat] = k + 1
        names = SECTION_NAMES[cat]
        base = names[k % len(names)]
        if k >= len(names):
            base = f"第{CHINESE_ORDINAL[min(9, k // len(names))]}{base}"
        sec_name = base if base.endswith("室") else base + suffix
        chief_title = "主任" if sec_name.endswith("室") else suffix + "长"
        domains = SECTION_DOMAINS.get(cat, ())
        deputy = org.deputies[i % len(org.deputies)]
        chief = seat(sec_name + chief_title, "chief", cat, domains, deputy.id)
        n_staff = staff_left // (n_sec - i)
        staff_left -= n_staff
        staff = [seat(sec_name + ("科员" if suffix != "处" else "干部"), "staff", cat, domains, chief.id)
                 for _ in range(max(1, n_staff))]
        org.sections.append((cat, chief, staff))
