"""The legal basis as a ruling cites it: 依照《中华人民共和国民事诉讼法》第二百三十七条，《最高人民法院
关于适用〈中华人民共和国民事诉讼法〉执行程序若干问题的解释》第十条、第十一条第二款之规定.

The plan records each decision's basis in the abbreviated form of `optimizer/law/modes.py`
(`执行程序解释第11条第2款`, `参照委托执行规定第2条第2款`); the articles are read out of that note —
the one table of the law stays the source — and written with each document's full title and its
numbering as in the document's official text (《人民法院民事裁判文书制作规范》: the number written as
the text writes it): Chinese numerals for the law and the interpretations, Arabic for the items of
执行工作规定, which are numbered "74." in its text; paragraphs (款) always in Chinese. Laws come
before judicial interpretations; an article cited 参照 (by analogy) is cited after "参照".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Statute:
    title: str  # full title, inner book-title marks as 〈〉
    chinese_numbers: bool  # its articles are numbered 第一条 … (else "1." as 执行工作规定)
    rank: int  # 0 a law, 1 a judicial interpretation or regulation (cited after the law)


_CPL = Statute("中华人民共和国民事诉讼法", True, 0)
#: the abbreviations of `optimizer/law/modes.py` and `docs/law.md` → the documents
STATUTES = {
    "民事诉讼法": _CPL, "民诉法": _CPL,
    "民诉法解释": Statute("最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释", True, 1),
    "执行程序解释": Statute("最高人民法院关于适用〈中华人民共和国民事诉讼法〉执行程序若干问题的解释", True, 1),
    "执行工作规定": Statute("最高人民法院关于人民法院执行工作若干问题的规定（试行）", False, 1),
    "委托执行规定": Statute("最高人民法院关于委托执行若干问题的规定", True, 1),
}
_NAMES = "|".join(sorted(STATUTES, key=len, reverse=True))
_REFERENCE = re.compile(rf"(参照)?({_NAMES})?第(\d+(?:、\d+)*)条(?:第(\d+)款)?")


def chinese_number(n: int) -> str:
    """237 → 二百三十七, 11 → 十一, 105 → 一百零五 (1–9,999; as article numbers are written)."""
    if not 0 < n < 10_000:
        return str(n)
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero and out else "") + _DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out[1:] if out.startswith("一十") else out


@dataclass(frozen=True)
class Reference:
    statute: Statute
    article: int
    paragraph: int | None
    by_analogy: bool  # 参照

    def __str__(self) -> str:
        number = chinese_number(self.article) if self.statute.chinese_numbers else str(self.article)
        paragraph = f"第{chinese_number(self.paragraph)}款" if self.paragraph else ""
        return f"第{number}条{paragraph}"


def references(note: str) -> list[Reference]:
    """The articles a basis note names, in order; a number without a name belongs to the last
    named document (`执行工作规定第8条、第74条第2款`), and so does a 参照."""
    out: list[Reference] = []
    statute, analogy = None, False
    for m in _REFERENCE.finditer(note):
        if m[2]:
            statute, analogy = STATUTES[m[2]], bool(m[1])
        elif m[1]:
            analogy = True
        if statute is None:
            continue
        paragraph = int(m[4]) if m[4] else None
        for article in m[3].split("、"):
            ref = Reference(statute, int(article), paragraph, analogy)
            if ref not in out:
                out.append(ref)
    return out


def _cite(refs: list[Reference]) -> str:
    by_statute: dict[Statute, list[Reference]] = {}
    for ref in refs:
        by_statute.setdefault(ref.statute, []).append(ref)
    ordered = sorted(by_statute.items(), key=lambda item: item[0].rank)
    return "，".join(f"《{s.title}》" + "、".join(map(str, group)) for s, group in ordered)


def citation(note: str) -> str | None:
    """`依照《…》第…条，参照《…》第…条之规定` for the articles in `note`; None when it names none."""
    refs = references(note)
    direct = [r for r in refs if not r.by_analogy]
    analogy = [r for r in refs if r.by_analogy]
    parts = ([f"依照{_cite(direct)}"] if direct else []) + ([f"参照{_cite(analogy)}"] if analogy else [])
    return "，".join(parts) + "之规定" if parts else None
