"""Procurement red flags (Fazekas/GTI, OECD, World Bank indicators) as pure functions
over one project or a buyer's awards; the ``procurement_flags`` detector and the post
risk score use them. Thresholds come from config/detectors/procurement_flags.yaml
(``thresholds.flags``); amounts are in 万元.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2}
# Chinese names of the red flags, for explanations and the post-risk factors.
FLAG_ZH = {"single_bidder": "单一投标", "non_open": "非公开招标", "no_call": "未发布公告",
           "short_window": "投标期限过短", "extreme_decision": "定标期间异常",
           "amended_upward": "合同变更增加金额", "splitting": "拆分规避审批",
           "close_bids": "报价高度接近或固定比例", "shared_contact_bidders": "投标企业共用联系方式"}


def close_bids(amounts: list[float], ratio: float, min_bids: int = 3) -> bool:
    """All bids within ``ratio`` of the lowest.

    >>> close_bids([100.0, 100.3, 100.45], 0.005), close_bids([100.0, 101.0, 102.0], 0.005)
    (True, False)
    >>> close_bids([100.0, 100.1], 0.005)
    False
    """
    if len(amounts) < min_bids or min(amounts) <= 0:
        return False
    low = min(amounts)
    return (max(amounts) - low) / low <= ratio


def fixed_ratio(amounts: list[float], tolerance: float, min_bids: int = 3,
                unit: float = 0.01) -> float | None:
    """The constant ratio between consecutive sorted bids, if there is one (bids a fixed
    percentage apart), else None. Bids are rounded to ``unit``; the ratios of rounded
    amounts may differ by that rounding as well as by ``tolerance``.

    >>> fixed_ratio([100.0, 104.0, 108.16, 112.49], 0.0001)
    1.04
    >>> fixed_ratio([100.0, 100.6, 101.3, 102.1], 0.0001) is None   # about 1% apart
    True
    >>> fixed_ratio([100.0, 100.0, 100.0], 0.0001) is None          # equal: see close_bids
    True
    """
    bids = sorted(amounts)
    if len(bids) < min_bids or bids[0] <= 0:
        return None
    ratios = [b / a for a, b in pairwise(bids)]
    slack = [r * (unit / 2) * (1 / a + 1 / b) for r, (a, b) in zip(ratios, pairwise(bids))]
    if ratios[0] <= 1 + tolerance + slack[0]:
        return None
    if all(abs(r - ratios[0]) <= tolerance + s + slack[0] for r, s in zip(ratios, slack)):
        return round(ratios[0], 4)
    return None


def splitting_groups(awards: list[tuple[date, str]], window_days: int,
                     min_awards: int) -> list[list[str]]:
    """Groups of awards (day, project id) of one buyer to one winner, each group the
    union of overlapping runs of at least ``min_awards`` awards within ``window_days``.

    >>> d = date.fromisoformat
    >>> awards = [(d("2024-01-01"), "A"), (d("2024-01-15"), "B"), (d("2024-02-01"), "C"),
    ...           (d("2024-09-01"), "D")]
    >>> splitting_groups(awards, 90, 3)
    [['A', 'B', 'C']]
    >>> splitting_groups([(d("2024-01-01"), "A"), (d("2024-05-01"), "B"), (d("2024-09-01"), "C")], 90, 3)
    []
    """
    items = sorted(awards)
    groups: list[list[int]] = []
    j = 0
    for i in range(len(items)):
        j = max(j, i)
        while j + 1 < len(items) and (items[j + 1][0] - items[i][0]).days <= window_days:
            j += 1
        if j - i + 1 >= min_awards:
            if groups and groups[-1][1] >= i:
                groups[-1][1] = j
            else:
                groups.append([i, j])
    return [[items[k][1] for k in range(a, b + 1)] for a, b in groups]


def _norm_address(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _norm_phone(text: str | None) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def shared_contact_groups(companies: list[dict]) -> list[list[str]]:
    """Companies (``id``, ``address``, ``phone``) linked by an identical address or
    phone number (after normalising width and spaces), as sorted groups of 2+ ids.

    >>> cs = [{"id": "A", "address": "人民路1号", "phone": "1"}, {"id": "B", "address": "人民路 1号"},
    ...       {"id": "C", "address": "人民路1号附2号", "phone": "2"}, {"id": "D", "phone": "2"}]
    >>> shared_contact_groups(cs)
    [['A', 'B'], ['C', 'D']]
    """
    parent = {c["id"]: c["id"] for c in companies}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seen: dict[tuple[str, str], str] = {}
    for c in companies:
        for kind, value in (("a", _norm_address(c.get("address"))), ("p", _norm_phone(c.get("phone")))):
            if not value:
                continue
            other = seen.setdefault((kind, value), c["id"])
            parent[find(c["id"])] = find(other)
    groups: dict[str, set[str]] = {}
    for cid in parent:
        groups.setdefault(find(cid), set()).add(cid)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


@dataclass
class Flag:
    name: str
    severity: str
    detail: str                       # Chinese
    companies: list[str] = field(default_factory=list)


def _days(a: date | None, b: date | None) -> int | None:
    return (b - a).days if a and b else None


def project_flags(p: dict[str, Any], rules: dict[str, dict]) -> list[Flag]:
    """The single-project red flags of project ``p`` (keys: method, call_published,
    call_date, bid_deadline, award_date, award_amount, final_amount, amended, bids:
    [{company, amount}]). Splitting and shared contacts are separate (several projects,
    or companies in the finding)."""
    out: list[Flag] = []

    def on(name: str) -> dict | None:
        rule = rules.get(name)
        return rule if rule and rule.get("enabled", True) is not False else None

    amounts = [b["amount"] for b in p["bids"] if b.get("amount") is not None]
    if (r := on("single_bidder")) and 0 < len(p["bids"]) <= r["max_bids"]:
        out.append(Flag("single_bidder", r["severity"], f"仅有{len(p['bids'])}家企业投标"))
    if (r := on("non_open")) and p["method"] in r["methods"]:
        out.append(Flag("non_open", r["severity"], f"采用{r['method_names'].get(p['method'], p['method'])}方式"))
    if (r := on("no_call")) and p["call_published"] is False and p["method"] not in r["exempt_methods"]:
        out.append(Flag("no_call", r["severity"], "未公开发布招标公告"))
    window = _days(p["call_date"], p["bid_deadline"])
    if (r := on("short_window")) and window is not None:
        if window < r["days"]:
            out.append(Flag("short_window", r["severity"], f"公告至投标截止仅{window}天（少于{r['days']}天）"))
        elif window < (r.get("medium_days") or 0):
            out.append(Flag("short_window", "medium", f"公告至投标截止{window}天（少于{r['medium_days']}天）"))
    decision = _days(p["bid_deadline"], p["award_date"])
    if (r := on("extreme_decision")) and decision is not None and \
            (decision < r["min_days"] or decision > r["max_days"]):
        out.append(Flag("extreme_decision", r["severity"],
                        f"投标截止至定标{decision}天（正常为{r['min_days']}至{r['max_days']}天）"))
    award, final = p["award_amount"], p["final_amount"]
    if (r := on("amended_upward")) and p["amended"] and award and final and \
            final > award * (1 + r["min_increase"]):
        out.append(Flag("amended_upward", r["severity"],
                        f"中标后变更合同，结算{final:g}万元高于中标{award:g}万元（+{(final / award - 1):.0%}）"))
    if r := on("close_bids"):
        ratio = fixed_ratio(amounts, r["fixed_ratio_tolerance"], r["min_bids"], r["amount_unit"])
        if close_bids(amounts, r["close_ratio"], r["min_bids"]):
            out.append(Flag("close_bids", r["severity"],
                            f"{len(amounts)}家报价均在最低价的{r['close_ratio']:.1%}以内"))
        elif ratio:
            out.append(Flag("close_bids", r["severity"], f"{len(amounts)}家报价依次呈固定比例{ratio:g}"))
    return out


def contact_flags(p: dict[str, Any], rules: dict[str, dict]) -> list[Flag]:
    """Bidders of ``p`` sharing an address or phone (one flag per linked group)."""
    r = rules.get("shared_contact_bidders")
    if not r or r.get("enabled", True) is False:
        return []
    return [Flag("shared_contact_bidders", r["severity"], f"{len(g)}家投标企业共用住所或联系电话", g)
            for g in shared_contact_groups(p["bids"])]


def in_band(p: dict[str, Any], band: list[float]) -> bool:
    """Whether the award is just under the approval threshold.

    >>> in_band({"award_amount": 95.0, "approval_threshold": 100.0}, [0.9, 1.0])
    True
    >>> in_band({"award_amount": 100.0, "approval_threshold": 100.0}, [0.9, 1.0])
    False
    """
    award, limit = p.get("award_amount"), p.get("approval_threshold")
    return bool(award and limit) and band[0] * limit <= award < band[1] * limit


def worst(severities: list[str]) -> str:
    return max(severities, key=lambda s: SEVERITY_ORDER.get(s, 1))
