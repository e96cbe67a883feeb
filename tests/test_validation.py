"""Every class of validation error, on pure functions (no database)."""

import datetime as dt
import json

import pytest

from riskgraph.ingest.fields import FieldParser, FieldProblem, parse_date
from riskgraph.ingest.readers import FileProblem, RawRow, iter_rows, template_for
from riskgraph.ingest.rows import RowValidator
from riskgraph.schema import default_schema

SCHEMA = default_schema()
PARSER = FieldParser(SCHEMA)


def check(template, cells, number=2):
    etype = SCHEMA.by_template(template)
    return RowValidator(etype, PARSER, f"{template}.csv", "b1").validate(RawRow(number, cells))


def reasons(result):
    assert isinstance(result, list), f"expected rejections, got {result}"
    return {(r.field, r.reason) for r in result}


CADRE = {"id": "330122197003050110", "name": "张建国", "gender": "男", "birth_date": "1970-03-05",
         "rank": "section", "managed_by": "TL-PC"}


def test_valid_row_is_typed():
    row = check("cadres", {**CADRE, "party_member": "是", "work_start": "1992年7月1日"})
    assert row.key == "330122197003050110"
    assert row.props["gender"] == "M" and row.props["party_member"] is True
    assert row.props["work_start"] == dt.date(1992, 7, 1)
    assert row.refs == {"grew_up_in": None, "managed_by": "TL-PC"}
    assert row.props["_source"] == "cadres.csv:2" and row.props["_batch"] == "b1"


@pytest.mark.parametrize("field, value, fragment", [
    ("name", "", "必填字段“姓名”为空"),
    ("gender", "X", "不在允许范围内"),
    ("birth_date", "1970-02-30", "不存在"),
    ("birth_date", "5th March", "日期格式无法识别"),
    ("id", "330122197003050111", "校验码应为0"),
    ("id", "33012219700305011", "应为18位"),
    ("rank", "boss", "不在允许范围内"),
    ("party_member", "maybe", "应为“是/否”"),
    ("phone", "call me", "电话号码格式无效"),
    ("grew_up_in", "33012", "行政区划代码应为6位数字"),
    ("managed_by", "有空格 的编码", "含有不允许的字符"),
])
def test_field_errors(field, value, fragment):
    result = check("cadres", {**CADRE, field: value})
    assert any(f == field and fragment in reason for f, reason in reasons(result)), reasons(result)


def test_all_bad_fields_of_a_row_are_reported():
    result = check("cadres", {**CADRE, "gender": "X", "rank": "boss", "name": ""})
    assert {f for f, _ in reasons(result)} == {"gender", "rank", "name"}
    assert {r.row for r in result} == {2}


def test_birth_date_must_match_id_number():
    result = check("cadres", {**CADRE, "birth_date": "1970-03-06"})
    assert ("birth_date", "出生日期与公民身份号码中的出生日期1970-03-05不一致") in reasons(result)


@pytest.mark.parametrize("template, cells, field", [
    ("occupancies", {"person": CADRE["id"], "post": "P1", "start_date": "2020-01-01",
                     "end_date": "2019-12-31"}, "end_date"),
    ("trips", {"id": "T1", "person": CADRE["id"], "departed": "2023-08-10",
               "returned": "2023-08-01", "destination": "香港"}, "returned"),
])
def test_date_order(template, cells, field):
    assert any(f == field and "早于" in r for f, r in reasons(check(template, cells)))


@pytest.mark.parametrize("template, cells, field, fragment", [
    ("ownerships", {"owner": CADRE["id"], "company": "91350100M000100Y43", "percent": "120",
                    "start_date": "2020-01-01"}, "percent", "0—100"),
    ("payments", {"id": "P1", "date": "2023-01-01", "amount": "-5", "payer": "ORG",
                  "payee": "91350100M000100Y43"}, "amount", "不应为负数"),
    ("declarations", {"id": "D1", "cadre": CADRE["id"], "year": "2023.5"}, "year", "应为整数"),
    ("declarations", {"id": "D1", "cadre": CADRE["id"], "year": "1850"}, "year", "不应小于1990"),
    ("evaluations", {"id": "E1", "cadre": CADRE["id"], "year": "2023", "kind": "democratic",
                     "score": "abc"}, "score", "应为数字"),
    ("companies", {"id": "91350100M000100Y44", "name": "x", "industry": "E", "region": "330122"},
     "id", "统一社会信用代码91350100M000100Y44无效"),
    ("posts", {"id": "P1", "name": "x", "org": "O", "rank": "section", "category": "finance",
               "is_head": "否", "in_leadership": "否", "power_domains": "funds;flying"},
     "power_domains", "flying不在允许范围内"),
])
def test_type_and_range_errors(template, cells, field, fragment):
    assert any(f == field and fragment in r for f, r in reasons(check(template, cells)))


def test_polymorphic_reference_accepts_any_target_key_form():
    row = check("payments", {"id": "P1", "date": "2023-01-01", "amount": "5", "payer": "TL-FIN",
                             "payee": "330122199801010315"})
    assert row.refs["payer"] == "TL-FIN" and row.refs["payee"] == "330122199801010315"
    bad = check("payments", {"id": "P1", "date": "2023-01-01", "amount": "5", "payer": "TL-FIN",
                             "payee": "not a code!"})
    assert any(f == "payee" for f, _ in reasons(bad))


def test_extra_cells_are_rejected():
    etype = SCHEMA.by_template("regions")
    result = RowValidator(etype, PARSER, "regions.csv", "b").validate(
        RawRow(3, {"id": "330122", "name": "桐庐县", "level": "county"}, extra=True))
    assert ("", "数据列数多于表头列数") in reasons(result)


def test_date_forms():
    for text in ("2021-03-05", "2021/3/5", "2021.03.05", "20210305", "2021年3月5日",
                 "2021-03-05 00:00:00", dt.datetime(2021, 3, 5, 8, 0)):
        assert parse_date(text) == dt.date(2021, 3, 5)
    with pytest.raises(FieldProblem):
        parse_date("1899-12-31")


def test_list_values_are_normalised():
    field = SCHEMA.by_template("organizations").field("regulates")
    assert PARSER.parse(field, "K；E、E") == ["E", "K"]


# -- file-level problems ---------------------------------------------------------------
def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def rows_of(path):
    return list(iter_rows(path, template_for(path, SCHEMA)))


def test_unknown_template(tmp_path):
    with pytest.raises(FileProblem, match="不对应任何导入模板"):
        template_for(write(tmp_path, "staff.csv", "a\n1\n"), SCHEMA)


def test_template_by_prefix(tmp_path):
    assert template_for(tmp_path / "cadres-2025.xlsx", SCHEMA).template == "cadres"
    assert template_for(tmp_path / "declaration_items.part2.csv", SCHEMA).template == "declaration_items"


@pytest.mark.parametrize("header, fragment", [
    ("id,name,level,nonsense", "第4列表头“nonsense”不是模板regions的字段"),
    ("id,name,name,level", "表头“name”重复"),
    ("id,name", "缺少必填列：层级（level）"),
])
def test_bad_headers(tmp_path, header, fragment):
    path = write(tmp_path, "regions.csv", header + "\n")
    with pytest.raises(FileProblem, match=fragment) as info:
        rows_of(path)
    assert info.value.row == 1 and info.value.path == path


def test_chinese_headers_gbk_and_required_marks(tmp_path):
    path = write(tmp_path, "regions.csv", "行政区划代码*,名称*,层级*,上级区划代码\n330122,桐庐县,县,\n",
                 encoding="gbk")
    (row,) = rows_of(path)
    assert row.number == 2 and row.cells["name"] == "桐庐县"


def test_empty_file(tmp_path):
    with pytest.raises(FileProblem, match="文件为空"):
        rows_of(write(tmp_path, "regions.csv", ""))


def test_unsupported_extension(tmp_path):
    with pytest.raises(FileProblem, match="不支持的文件类型"):
        rows_of(write(tmp_path, "regions.txt", "x"))


def test_bad_json_line_names_the_line(tmp_path):
    good = json.dumps({"id": "330122", "name": "桐庐县", "level": "county"}, ensure_ascii=False)
    path = write(tmp_path, "regions.jsonl", good + "\n{not json\n")
    with pytest.raises(FileProblem) as info:
        rows_of(path)
    assert info.value.row == 2 and "JSON格式错误" in info.value.reason
