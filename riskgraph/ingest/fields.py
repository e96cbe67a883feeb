"""Parse and check one cell against its schema field.

Each parser takes the raw cell (a string from CSV, or a native value from XLSX/JSON)
and returns the typed value, or raises `FieldProblem` with a Chinese reason that the
rejection report shows next to file, row and field.

>>> parse_date("2021年3月5日")
datetime.date(2021, 3, 5)
>>> parse_bool("是")
True
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from riskgraph.idcodes import credit_code_problem, resident_id_problem
from riskgraph.schema import Field, Schema

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]{0,63}$")
_REGION = re.compile(r"^\d{6}$")
_PHONE = re.compile(r"^(\+?86[- ]?)?(\d[\d-]{5,14}\d)$")
_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}
_LIST_SPLIT = re.compile(r"[;；|、,，]")
MAX_TEXT = 2000
KEY_TYPES = frozenset({"code", "resident_id", "credit_code", "region_code"})


class FieldProblem(ValueError):
    """A cell that cannot be accepted; the message is the reason shown to the user."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if (len(text) == 10 and text[4] == "-" and text[7] == "-" and text[:4].isascii()
            and (text[:4] + text[5:7] + text[8:]).isdigit()):
        # The common form, parsed in C; anything it rejects takes the checks below.
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            if 1900 <= day.year <= 2100:
                return day
    if re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$", text):
        text = text[:10]
    for form in _DATE_FORMS:
        m = form.match(text)
        if m:
            try:
                day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise FieldProblem(f"日期{text}不存在") from None
            if not 1900 <= day.year <= 2100:
                raise FieldProblem(f"日期{text}超出1900—2100年")
            return day
    raise FieldProblem(f"日期格式无法识别：{text}（应为YYYY-MM-DD）")


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldProblem(f"应为“是/否”或true/false，实为{value}")


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise FieldProblem(f"应为数字，实为{value}")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        try:
            number = float(text)
        except ValueError:   # forms only Decimal reads (e.g. sNaN) get its verdict
            try:
                number = float(Decimal(text))
            except InvalidOperation:
                raise FieldProblem(f"应为数字，实为{value}") from None
    if math.isnan(number) or math.isinf(number):
        raise FieldProblem(f"应为有限数字，实为{value}")
    return number


def _in_range(number: float, field: Field) -> None:
    if field.min is not None and number < field.min:
        raise FieldProblem(f"不应小于{field.min:g}，实为{number:g}")
    if field.max is not None and number > field.max:
        raise FieldProblem(f"不应大于{field.max:g}，实为{number:g}")


def _text(value: Any) -> str:
    if value.__class__ is str:   # every CSV cell
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # XLSX stores long digit strings typed as numbers
    return str(value).strip()


def _string(value: Any) -> str:
    text = _text(value)
    if len(text) > MAX_TEXT:
        raise FieldProblem(f"超过{MAX_TEXT}个字符")
    return text


@lru_cache(maxsize=1 << 16)
def _key_value(ftype: str, text: str) -> str:
    """A checked key. Cached (bounded): edge files name the same persons and companies
    again and again, and the check digits are the costliest part of validation."""
    if ftype == "resident_id":
        text = text.upper()
        problem = resident_id_problem(text)
        if problem:
            raise FieldProblem(f"公民身份号码{text}无效：{problem}")
    elif ftype == "credit_code":
        text = text.upper()
        problem = credit_code_problem(text)
        if problem:
            raise FieldProblem(f"统一社会信用代码{text}无效：{problem}")
    elif ftype == "region_code":
        if not _REGION.match(text):
            raise FieldProblem(f"行政区划代码应为6位数字，实为{text}")
    elif not _CODE.match(text):
        raise FieldProblem(f"编码{text}含有不允许的字符或超过64位")
    return text


@lru_cache(maxsize=1 << 16)
def fits_key(ftype: str, text: str) -> bool:
    """Whether ``text`` is, as it stands, a valid key of type ``ftype`` (the form the
    importer writes keys in)."""
    try:
        return _key_value(ftype, text) == text
    except FieldProblem:
        return False


class FieldParser:
    """Parsers for every field type, bound to the schema's enumerations."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self._enum_lookup: dict[str, dict[str, str]] = {}
        for name, values in schema.enums.items():
            lookup = {}
            for code, label in values.items():
                lookup[code] = code
                lookup[code.lower()] = code
                lookup[label] = code
            self._enum_lookup[name] = lookup
        # The key type of each label, for checking references.
        self._key_type = {t.label: t.field(t.key).type for t in schema.node_types}

    def enum(self, field: Field, value: Any) -> str:
        text = _text(value)
        code = self._enum_lookup[field.values].get(text) or self._enum_lookup[field.values].get(text.lower())
        if code is None:
            allowed = "、".join(f"{c}/{l}" for c, l in self.schema.enums[field.values].items())
            raise FieldProblem(f"取值{text}不在允许范围内（{allowed}）")
        return code

    def parser_for(self, field: Field) -> Callable[[Any], Any]:
        """A function parsing non-blank cells of ``field``, as `parse` does, with the
        dispatch on the field's type done once (validation runs it for every cell)."""
        ftype = field.type
        if ftype == "string":
            return _string
        if ftype in KEY_TYPES:
            return partial(self.key_value, ftype)
        if ftype == "ref" and len(field.to) == 1:
            return partial(self.key_value, self._key_type[field.to[0]])
        if ftype == "date":
            return parse_date
        if ftype == "bool":
            return parse_bool
        if ftype == "enum":
            return partial(self.enum, field)
        return partial(self.parse, field)

    def key_value(self, ftype: str, value: Any) -> str:
        return _key_value(ftype, _text(value))

    def ref(self, field: Field, value: Any) -> str:
        problems = []
        for label in field.to:
            try:
                return self.key_value(self._key_type[label], value)
            except FieldProblem as exc:
                problems.append(str(exc))
        raise FieldProblem("；".join(dict.fromkeys(problems)))

    def parse(self, field: Field, value: Any) -> Any:
        """The typed value of a non-blank cell."""
        ftype = field.type
        if ftype == "string":
            return _string(value)
        if ftype in KEY_TYPES:
            return self.key_value(ftype, value)
        if ftype == "ref":
            return self.ref(field, value)
        if ftype == "date":
            return parse_date(value)
        if ftype == "bool":
            return parse_bool(value)
        if ftype == "enum":
            return self.enum(field, value)
        if ftype == "list":
            parts = [p.strip() for p in _LIST_SPLIT.split(_text(value)) if p.strip()]
            return sorted({self.enum(field, p) for p in parts})
        if ftype == "int":
            number = _number(value)
            if not number.is_integer():
                raise FieldProblem(f"应为整数，实为{value}")
            _in_range(number, field)
            return int(number)
        if ftype in ("float", "money", "percent"):
            number = _number(value)
            if ftype == "money" and number < 0:
                raise FieldProblem(f"金额不应为负数，实为{value}")
            if ftype == "percent" and not 0 <= number <= 100:
                raise FieldProblem(f"比例应在0—100之间，实为{value}")
            _in_range(number, field)
            return number
        if ftype == "phone":
            text = _text(value)
            if not _PHONE.match(text):
                raise FieldProblem(f"电话号码格式无效：{text}")
            return re.sub(r"[^\d]", "", _PHONE.match(text).group(2))
        raise AssertionError(f"unhandled field type {ftype}")  # schema.FIELD_TYPES is closed
