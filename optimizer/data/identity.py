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
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

#: brackets NFKC leaves alone, written for the year of a case number in older documents
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")",
                           "〖": "(", "〗": ")", "﹝": "(", "﹞": ")"})
_SPACE = re.compile(r"\s+")
_ID_NUMBER = re.compile(r"[0-9A-Za-z]{18}")  # 居民身份证号码 / 统一社会信用代码
_SURROGATE = re.compile("[\ud800-\udfff]")  # (a lone one cannot be encoded)
#: the prefix of a debtor id made for a case whose debtor has no identifier (never linked)
UNLINKED_PREFIX = "无编号:"
_MAX_ID = 64


def visible(text: str) -> str:
    """`text` without invisible format characters (zero-width space, joiners, BOM, soft hyphen,
    direction marks: Unicode category Cf), trimmed."""
    if text.isascii():
        return text.strip()
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()


def _case_number_table() -> dict[int, int | None]:
    """What NFKC and `_BRACKETS` do to the characters case numbers are typed with, as one
    `str.translate` table (full-width ASCII, （）, the older brackets), plus the spaces and the
    invisible characters met in pasted text, dropped."""
    table: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
    table.update({k: ord(v) if isinstance(v, str) else v for k, v in _BRACKETS.items()})
    for cp in (0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000, 0xAD, 0x200B, 0x200C, 0x200D, 0x200E,
               0x200F, 0x2060, 0xFEFF):
        table[cp] = None
    return table


_CASE_NUMBER_TABLE = _case_number_table()


def case_number_key(text: str) -> str:
    """The identity of a case number: width (NFKC), brackets, spaces and invisible characters
    do not count. （２０２５）浙１１０２执１号, (2025)浙1102执1号 and 〔2025〕浙1102执1号 are one.

    One `translate` covers what case numbers are typed with (a national scenario's 300,000 keys
    in a fraction of a second); text with other invisible or compatibility characters takes the
    full path, so the key is the same either way."""
    key = text.translate(_CASE_NUMBER_TABLE)
    if key.isprintable() and unicodedata.is_normalized("NFKC", key):
        return key
    key = unicodedata.normalize("NFKC", visible(text)).translate(_BRACKETS)
    return _SPACE.sub("", key)


#: joins case numbers for one translation of them all: a control character (no case number
#: has one), a starter that composes with nothing, and not in `_CASE_NUMBER_TABLE`
_JOIN = "\x1f"


def _code_point_map() -> NDArray[np.int32]:
    """`_CASE_NUMBER_TABLE` as an array over the Basic Multilingual Plane (where all its
    characters are): each code point's replacement, -1 where it is dropped."""
    out = np.arange(0x10000, dtype=np.int32)
    for cp, to in _CASE_NUMBER_TABLE.items():
        out[cp] = -1 if to is None else to
    return out


_CODE_POINT_MAP = _code_point_map()


def _translated(text: str) -> str:
    """`text.translate(_CASE_NUMBER_TABLE)` with numpy (`str.translate` looks every character
    up in a dict: half a second for a national scenario's case numbers)."""
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    bmp = cps < 0x10000
    mapped = np.where(bmp, _CODE_POINT_MAP[np.where(bmp, cps, 0)], cps.astype(np.int64))
    return mapped[mapped >= 0].astype(np.uint32).tobytes().decode("utf-32-le")


def case_number_keys(texts: Sequence[str]) -> list[str]:
    """`case_number_key` of each text, for many at once: one translation of the texts joined,
    each text alone when any of them needs more (the join tells: the check holds for the whole
    exactly when it holds for every part)."""
    joined = _JOIN.join(texts)
    if joined.count(_JOIN) == max(len(texts) - 1, 0) and not _SURROGATE.search(joined):
        keys = _translated(joined)
        if (keys.replace(_JOIN, "").isprintable()
                and unicodedata.is_normalized("NFKC", keys)):
            return keys.split(_JOIN) if texts else []
    return list(map(case_number_key, texts))


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
