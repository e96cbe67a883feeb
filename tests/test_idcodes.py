"""Check digits of resident ID numbers (GB 11643) and credit codes (GB 32100)."""

import pytest

from riskgraph.idcodes import (birth_date_of, credit_code_check_char, credit_code_problem,
                               resident_id_check_char, resident_id_problem)

# The worked example printed in GB 11643-1999 and two more with a computed check digit.
VALID_IDS = ["11010519491231002X", "440524188001010014", "330122197003050110"]
# Published example codes: GB 32100-2015's sample and a commonly cited registry code.
VALID_CODES = ["91350100M000100Y43", "91110000600037341L"]


@pytest.mark.parametrize("value", VALID_IDS)
def test_valid_resident_ids(value):
    assert resident_id_problem(value) is None


@pytest.mark.parametrize("value, reason", [
    ("110105194912310021", "校验码应为X"),     # wrong check digit
    ("11010519491231002", "应为18位"),          # too short
    ("11010519491331002X", "不是有效日期"),     # month 13
    ("1101051949123100AX", "前17位应为数字"),
    ("11010519490229002X", "不是有效日期"),     # 1949 was not a leap year
])
def test_invalid_resident_ids(value, reason):
    assert reason in resident_id_problem(value)


def test_resident_id_check_char_and_birth_date():
    assert resident_id_check_char("11010519491231002") == "X"
    assert birth_date_of("11010519491231002X").isoformat() == "1949-12-31"


@pytest.mark.parametrize("value", VALID_CODES)
def test_valid_credit_codes(value):
    assert credit_code_problem(value) is None


@pytest.mark.parametrize("value, reason", [
    ("91350100M000100Y44", "校验码应为3"),
    ("91350100M000100Y4", "应为18位"),
    ("91350100M0001O0Y43", "不允许的字符O"),     # letter O is not in the alphabet
    ("91350100I000100Y43", "不允许的字符I"),
])
def test_invalid_credit_codes(value, reason):
    assert reason in credit_code_problem(value)


def test_credit_code_check_char_wraps_31_to_0():
    # Find a body whose weighted sum is a multiple of 31: its check character is '0'.
    body = "9135010000000000"
    for last in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if credit_code_check_char(body + last) == "0":
            assert credit_code_problem(body + last + "0") is None
            return
    pytest.fail("no body with check character 0 found")
