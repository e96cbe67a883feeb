"""Identifiers: resident IDs (GB 11643), credit codes (GB 32100), phones; all unique.

Uniqueness of resident IDs and of (name, birth date) pairs is checked against sets of
packed integers; credit codes and phone numbers are unique by construction (a counter
through a bijection), so they need no memory.
"""

from __future__ import annotations

import datetime as dt
import random

from riskgraph.idcodes import credit_code_check_char, resident_id_check_char

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_MOBILE = ("139", "138", "137", "136", "135", "150", "151", "152", "158", "159", "186",
           "187", "188", "133", "153", "180", "189", "130", "131", "132", "155", "156",
           "185", "176", "177", "199", "182", "183", "184", "157")


def _org_check(body: str) -> str:
    """GB 11714 check character of an 8-digit organisation code body."""
    c = 11 - sum(int(ch) * w for ch, w in zip(body, _ORG_WEIGHTS)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _name_key(name: str, birth: dt.date) -> int:
    key = birth.toordinal()
    for ch in name[:4]:
        key = (key << 16) | (ord(ch) & 0xFFFF)
    return (key << 3) | len(name)


class IdFactory:
    def __init__(self, seed: int):
        self._resident: set[int] = set()
        self._names: set[int] = set()
        self._companies = 0
        self._phones = 0
        self._phone_offset = random.Random(f"{seed}:phones").randrange(10 ** 8)

    def name_free(self, name: str, birth: dt.date) -> bool:
        return _name_key(name, birth) not in self._names

    def take_name(self, name: str, birth: dt.date) -> None:
        self._names.add(_name_key(name, birth))

    def resident_id(self, rng: random.Random, region: str, birth: dt.date, gender: str) -> str:
        base = f"{region}{birth:%Y%m%d}"
        want = 1 if gender == "M" else 0
        for _ in range(200):
            seq = rng.randrange(1000)
            if seq % 2 != want:
                seq ^= 1
            first17 = f"{base}{seq:03d}"
            key = int(first17)
            if key not in self._resident:
                self._resident.add(key)
                return first17 + resident_id_check_char(first17)
        raise RuntimeError(f"no free resident id for {base}")

    def credit_code(self, region: str, kind: str = "1") -> str:
        """Unified social credit code: registration authority 9 (market regulation),
        entity type `kind`, region, organisation code (8 digits + GB 11714 check)."""
        self._companies += 1
        body = f"{(self._companies * 7919 + 13572468) % 10 ** 8:08d}"
        first17 = f"9{kind}{region}{body}{_org_check(body)}"
        return first17 + credit_code_check_char(first17)

    def phone(self, rng: random.Random) -> str:
        self._phones += 1
        tail = (self._phones * 48271 + self._phone_offset) % 10 ** 8
        return f"{rng.choice(_MOBILE)}{tail:08d}"
