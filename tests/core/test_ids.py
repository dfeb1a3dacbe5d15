"""USCC (GB 32100-2015) and project code (GB/T 40058-2021 shape) validation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daiban.core.errors import DomainError
from daiban.core.ids import USCC_CHARSET, uscc_with_check, validate_project_code, validate_uscc

bodies = st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17)


def test_worked_example():
    # 9·1 + 1·3 + 1·9 + 1·27 + 0·19 + 0·26 + 0·16 + 0·17 + 6·20 + 0·29 + 0·25 + 0·13 + 3·8 + 7·24 + 3·10
    # + 4·30 + 1·28 = 538; 538 mod 31 = 11; 31 − 11 = 20 → the character of value 20 is "L".
    assert validate_uscc("91110000600037341L") == "91110000600037341L"
    assert uscc_with_check("91110000600037341") == "91110000600037341L"


def test_check_value_31_becomes_0():
    # A body whose weighted sum is a multiple of 31 has check value 31 − 0 = 31 → written as "0".
    assert uscc_with_check("0" * 17) == "0" * 18


@given(bodies)
def test_generated_codes_pass(body):
    code = uscc_with_check(body)
    assert validate_uscc(code) == code


@given(bodies, st.integers(0, 17), st.sampled_from(USCC_CHARSET))
def test_any_single_character_change_fails(body, position, replacement):
    code = uscc_with_check(body)
    if code[position] == replacement:
        return
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(DomainError, match="校验位错误"):
        validate_uscc(changed)


def test_normalizes_spaces_case_and_full_width():
    assert validate_uscc(" ９１１１００００６０００３７３４１ｌ ") == "91110000600037341L"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9111000060003734", "应为 18 位"),
        ("", "不能为空"),
        ("91110000600037341O", "第 18 位“O”不是允许的字符"),
        ("9I110000600037341L", "第 2 位“I”"),
    ],
)
def test_bad_uscc_messages(text, message):
    with pytest.raises(DomainError, match=message):
        validate_uscc(text)


def test_uscc_with_check_refuses_wrong_length():
    with pytest.raises(DomainError, match="17 位"):
        uscc_with_check("1234")


def test_project_code_shape():
    assert validate_project_code("2026-110115-89-01-012345") == "2026-110115-89-01-012345"
    assert validate_project_code(" ２０２６－110115-89-01-01234x ") == "2026-110115-89-01-01234X"


@pytest.mark.parametrize(
    "text",
    [
        "2026-110115-89-01-01234",
        "2026110115890101234500",
        "2026-11011A-89-01-012345",
        "3026-110115-89-01-012345",
        "2026-١١٠١١٥-89-01-012345",  # Arabic-Indic digits are not digits of a project code
    ],
)
def test_project_code_bad_shape(text):
    with pytest.raises(DomainError, match="项目代码"):
        validate_project_code(text)


project_codes = st.builds(
    lambda year, region, ministry, kind, serial: f"{year}-{region}-{ministry}-{kind}-{serial}",
    st.integers(2000, 2099),
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{5}[0-9A-Z]", fullmatch=True),
)


@given(project_codes)
def test_generated_project_codes_pass(code):
    assert validate_project_code(code) == code
