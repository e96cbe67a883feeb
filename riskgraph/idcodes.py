"""Check digits of Chinese identification codes.

- Resident identity numbers (公民身份号码), GB 11643-1999: 17 digits and an ISO 7064
  MOD 11-2 check character (0-9 or X).
- Unified social credit codes (统一社会信用代码), GB 32100-2015: 18 characters from a
  31-character alphabet, the last one a MOD 31 check character.

>>> resident_id_check_char("11010519491231002")
'X'
>>> valid_resident_id("11010519491231002X")
True
>>> valid_credit_code("91350100M000100Y43")
True
"""

from __future__ import annotations

import datetime as dt
from operator import mul

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_ALPHABET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need exactly 17 digits")
    total = sum(map(mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def resident_id_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-digit resident ID number, or None when it is."""
    if len(value) != 18:
        return f"应为18位，实为{len(value)}位"
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return "前17位应为数字，末位应为数字或X"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return f"出生日期码{value[6:14]}不是有效日期"
    expected = resident_id_check_char(value[:17])
    if value[17] != expected:
        return f"校验码应为{expected}，实为{value[17]}"
    return None


def valid_resident_id(value: str) -> bool:
    return resident_id_problem(value) is None


def birth_date_of(resident_id: str) -> dt.date:
    """The birth date encoded in a (valid) resident ID number."""
    return dt.date(int(resident_id[6:10]), int(resident_id[10:12]), int(resident_id[12:14]))


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a credit code."""
    if len(first17) != 17 or any(c not in _CREDIT_VALUE for c in first17):
        raise ValueError("need exactly 17 characters from the credit-code alphabet")
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(value: str) -> str | None:
    """Why ``value`` is not a valid unified social credit code, or None when it is."""
    if len(value) != 18:
        return f"应为18位，实为{len(value)}位"
    bad = sorted({c for c in value if c not in _CREDIT_VALUE})
    if bad:
        return f"含有不允许的字符{''.join(bad)}（不使用I、O、Z、S、V）"
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        return f"校验码应为{expected}，实为{value[17]}"
    return None


def valid_credit_code(value: str) -> bool:
    return credit_code_problem(value) is None
