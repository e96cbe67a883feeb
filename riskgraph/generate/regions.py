"""The region tree (GB/T 2260 style codes) and the blocks to generate.

A block is one jurisdiction whose organisations are generated together: a county, the
city-level organisations of a city, or the province-level ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from riskgraph.generate.names import place_names


@dataclass
class Region:
    code: str
    name: str
    level: str                  # province, city, county
    parent: str | None
    children: list[str] = field(default_factory=list)

    @property
    def short(self) -> str:
        """The name without its last character (县/区/市/省), e.g. for company names."""
        return self.name[:-1]


@dataclass
class Regions:
    by_code: dict[str, Region]
    province: Region
    cities: list[Region]
    blocks: list[Region]        # generation order: province, then per city, then counties

    def counties(self, city: str | None = None) -> list[Region]:
        cities = [self.by_code[city]] if city else self.cities
        return [self.by_code[c] for ct in cities for c in ct.children]

    def city_of(self, code: str) -> Region:
        r = self.by_code[code]
        return r if r.level == "city" else self.by_code[r.parent]

    def neighbours(self, county: str) -> list[Region]:
        """Counties next to `county` in its city's list (codes adjacent in order)."""
        city = self.city_of(county)
        sibs = city.children
        i = sibs.index(county)
        return [self.by_code[sibs[j]] for j in (i - 1, i + 1) if 0 <= j < len(sibs)]

    def neighbour_cities(self, city: str) -> list[Region]:
        codes = [c.code for c in self.cities]
        i = codes.index(city)
        return [self.cities[j] for j in (i - 1, i + 1) if 0 <= j < len(codes)]

    def rows(self) -> list[dict]:
        return [{"id": r.code, "name": r.name, "level": r.level, "parent": r.parent}
                for r in self.by_code.values()]


def _county_codes(n: int) -> list[tuple[str, str]]:
    """(two-digit code, suffix) for n county-level units: districts, counties, a city."""
    out = [(f"{2 + i:02d}", "区") for i in range(min(2, n))]
    rest = n - len(out)
    if rest >= 4:
        out += [(f"{21 + i:02d}", "县") for i in range(rest - 1)] + [("81", "市")]
    else:
        out += [(f"{21 + i:02d}", "县") for i in range(rest)]
    return out


def build_regions(cfg, seed: int) -> Regions:
    rng = random.Random(f"{seed}:regions")
    scale = cfg.scale
    prov_code = str(cfg.raw["province"]["code"])
    prov = Region(f"{prov_code}0000", cfg.raw["province"]["name"], "province", None)
    by_code = {prov.code: prov}
    taken = {prov.name[:2]}
    city_names = place_names(rng, scale["cities"], taken)
    cities = []
    for i, cname in enumerate(city_names, start=1):
        city = Region(f"{prov_code}{i:02d}00", cname + "市", "city", prov.code)
        by_code[city.code] = city
        prov.children.append(city.code)
        cities.append(city)
        lo, hi = scale["counties_per_city"]
        units = _county_codes(rng.randint(lo, hi))
        for (two, suffix), name in zip(units, place_names(rng, len(units), taken)):
            county = Region(f"{prov_code}{i:02d}{two}", name + suffix, "county", city.code)
            by_code[county.code] = county
            city.children.append(county.code)
    juris = scale["jurisdiction"]
    if juris == "county":
        first = cities[0]
        # the first proper county (县) of the first city
        pick = next((c for c in first.children if by_code[c].name.endswith("县")), first.children[0])
        blocks = [by_code[pick]]
    elif juris == "city":
        blocks = [cities[0]] + [by_code[c] for c in cities[0].children]
    elif juris == "province":
        blocks = [prov]
        for city in cities:
            blocks += [city] + [by_code[c] for c in city.children]
    else:
        raise ValueError(f"unknown jurisdiction {juris!r}")
    return Regions(by_code=by_code, province=prov, cities=cities, blocks=blocks)
