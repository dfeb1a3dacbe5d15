"""Identifier validators: the USCC (GB 32100-2015) and the national investment project code (GB/T 40058-2021).

Pure standard library. Each validator normalizes what a person typed or pasted (spaces, lower case, full-width
characters from a Chinese input method) and returns the canonical form, or raises DomainError in Chinese.
"""

from __future__ import annotations

import re
import unicodedata

from daiban.core.errors import DomainError

# GB 32100-2015: the 31 characters allowed (digits and capitals without I, O, Z, S, V), in value order.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18
_USCC_VALUE = {char: value for value, char in enumerate(USCC_CHARSET)}

PROJECT_CODE_LENGTH = 24
# YYYY-RRRRRR-DD-TT-NNNNNC: year, region, ministry, type, 5-digit serial + 1 check character.
# Note: shape only — the check algorithm of the last character is not confirmed, so it is not verified.
_PROJECT_CODE = re.compile(r"(?:19|20)[0-9]{2}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{5}[0-9A-Z]")


def normalize_code(text: str) -> str:
    """Strip spaces, fold full-width characters (NFKC) and upper-case."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(folded.split()).upper()


def uscc_check_character(first17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are given (already normalized)."""
    total = sum(_USCC_VALUE[char] * weight for char, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_with_check(first17: str) -> str:
    """Complete 17 characters into a valid USCC (used to generate demo and test data)."""
    body = normalize_code(first17)
    if len(body) != USCC_LENGTH - 1:
        raise DomainError(f"统一社会信用代码本体应为 17 位，实际为 {len(body)} 位：{first17}")
    _check_charset(body, first17)
    return body + uscc_check_character(body)


def validate_uscc(text: str) -> str:
    """Return the normalized USCC or raise DomainError naming what is wrong."""
    code = normalize_code(text)
    if not code:
        raise DomainError("统一社会信用代码不能为空")
    if len(code) != USCC_LENGTH:
        raise DomainError(f"统一社会信用代码应为 18 位，实际为 {len(code)} 位：{text}")
    _check_charset(code, text)
    if uscc_check_character(code[:17]) != code[17]:
        raise DomainError(f"统一社会信用代码校验位错误：{text}")
    return code


def _check_charset(code: str, original: str) -> None:
    for position, char in enumerate(code, start=1):
        if char not in _USCC_VALUE:
            raise DomainError(
                f"统一社会信用代码第 {position} 位“{char}”不是允许的字符"
                f"（数字或除 I、O、Z、S、V 外的大写字母）：{original}"
            )


def validate_project_code(text: str) -> str:
    """Return the normalized project code (shape YYYY-RRRRRR-DD-TT-NNNNNC) or raise DomainError."""
    code = normalize_code(text).replace("—", "-").replace("－", "-")
    if len(code) != PROJECT_CODE_LENGTH:
        raise DomainError(f"项目代码应为 24 位（如 2026-110115-89-01-012345），实际为 {len(code)} 位：{text}")
    if not _PROJECT_CODE.fullmatch(code):
        raise DomainError(f"项目代码格式应为 年份4位-区划6位-行业2位-类型2位-流水号5位加校验位1位：{text}")
    return code
