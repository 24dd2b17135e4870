"""The one text fold: how names, concepts, units and headers are compared.

Two strings that differ only in width or white space (ＹｏｕＴｕｂｅ 登録 / YouTube登録) name the
same thing; every comparison in the package goes through :func:`fold`.
"""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """NFKC, with every white-space character removed."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def header_key(cell: str | None) -> str:
    """A header as compared with its aliases: folded, without invisible characters, casefolded
    (通し 番号 = 通し番号, No. = no.)."""
    return "".join(c for c in fold(cell) if unicodedata.category(c) not in ("Cc", "Cf")).casefold()
