"""The one text fold: how names, concepts, units and headers are compared.

Two strings that differ only in width or white space (ＹｏｕＴｕｂｅ 登録 / YouTube登録) name the
same thing; every comparison in the package goes through :func:`fold`.
"""

from __future__ import annotations

import re
import unicodedata


def fold(text: str | None) -> str:
    """NFKC, with every white-space character removed."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


#: ヶ/ケ/カ/箇 of a counter (か所, か国, か月), not カ of a katakana word (カード).
_COUNTER_SPELLING = re.compile(r"[ヶケカ箇](?=所|国|月)")


def fold_counters(text: str) -> str:
    """A counter's spellings made one, as the guidelines write units: 箇所, ヶ所, カ所 → か所; ヶ国 → か国."""
    return _COUNTER_SPELLING.sub("か", text)


def header_key(cell: str | None) -> str:
    """A header as compared with its aliases: folded, without invisible characters, casefolded
    (通し 番号 = 通し番号, No. = no.)."""
    return "".join(c for c in fold(cell) if unicodedata.category(c) not in ("Cc", "Cf")).casefold()
