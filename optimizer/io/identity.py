"""When two cells name the same thing: case numbers and identifiers compared as keys, while the
text as written is kept for display.

A case number typed in a case system, a spreadsheet or a chat differs in ways nobody sees:
full-width digits (（２０２５）浙１１０２执１号), half-width brackets ((2025)), the older
〔2025〕, a zero-width space pasted at the end. `case_number_key` maps them all to one key; the
case keeps the number as written (invisible characters dropped: they show nothing).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: brackets NFKC leaves alone, written for the year of a case number in older documents
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")",
                           "〖": "(", "〗": ")", "﹝": "(", "﹞": ")"})
_SPACE = re.compile(r"\s+")
_ID_NUMBER = re.compile(r"[0-9A-Za-z]{18}")  # 居民身份证号码 / 统一社会信用代码
#: the prefix of a debtor id made for a case whose debtor has no identifier (never linked)
UNLINKED_PREFIX = "无编号:"
_MAX_ID = 64


def visible(text: str) -> str:
    """`text` without invisible format characters (zero-width space, joiners, BOM, soft hyphen,
    direction marks: Unicode category Cf), trimmed."""
    if text.isascii():
        return text.strip()
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def case_number_key(text: str) -> str:
    """The identity of a case number: width (NFKC), brackets, spaces and invisible characters
    do not count. （２０２５）浙１１０２执１号, (2025)浙1102执1号 and 〔2025〕浙1102执1号 are one."""
    key = unicodedata.normalize("NFKC", visible(text)).translate(_BRACKETS)
    return _SPACE.sub("", key)


def identifier_key(text: str) -> str:
    """The identity of a 被执行人编号 (ID number, 统一社会信用代码, the case system's number):
    width, spaces and invisible characters do not count, nor letter case in an 18-character
    ID number or credit code (…123x = …123X); other numbers keep their case."""
    key = _SPACE.sub("", unicodedata.normalize("NFKC", visible(text)))
    return key.upper() if _ID_NUMBER.fullmatch(key) else key


def unlinked_debtor_id(case_key: str) -> str:
    """A debtor id of its own for a case whose debtor has no identifier: a name alone never
    links two cases (two people called 张伟 are two debtors)."""
    made = UNLINKED_PREFIX + case_key
    if len(made) <= _MAX_ID:
        return made
    return UNLINKED_PREFIX + hashlib.sha256(case_key.encode("utf-8")).hexdigest()[:32]


def is_unlinked(debtor_id: str) -> bool:
    return debtor_id.startswith(UNLINKED_PREFIX)


def name_key(name: str) -> str:
    """A party name compared for "the same name": width, spaces and invisible characters aside."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", visible(name)))
