"""French forms found in legal acts: dates (« 1er janvier 2021 », « 31/12/2022 », « le
22 novembre 2017 »), amounts (« 100 000 € », « 100.000 euros », « 100 000,00 € HT »,
« cent mille euros »), article headings (« Article 1er », « Article 2 : », « ARTICLE II »)
and blanks (« le ..... », « n°..... ») that mean unknown, never a value."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
#: « 1er janvier 2021 », « 22 novembre 2017 », « 21 Mars 2019 »
WORDED_DATE = re.compile(rf"\b(1er|[0-3]?[0-9])\s+({_MONTH})\s+((?:19|20)[0-9]{{2}})\b", re.I)
#: « 31/12/2022 », « 31.12.2022 », « 31-12-2022 »
NUMERIC_DATE = re.compile(r"\b([0-3]?[0-9])[/.\-]([01]?[0-9])[/.\-]((?:19|20)[0-9]{2})\b")
#: a blank left to fill: « le ..... », « n°..... », « le …… »
BLANK = re.compile(r"(?:\.{3,}|…+|_{3,})")

UNITS = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "septante": 70, "octante": 80, "nonante": 90,
}  # fmt: skip
_WORDS = "|".join(sorted([*UNITS, "cents?", "mille", "millions?", "et", "vingts"], key=len,
                         reverse=True))  # fmt: skip
#: « cent mille euros », « deux cent cinquante mille euros »
WORDED_AMOUNT = re.compile(rf"\b((?:(?:{_WORDS})[\s\-]+)+)euros?\b", re.I)
#: « 100 000 € », « 100.000 euros », « 100 000,00 € HT », « 1 250 000 EUR TTC »
NUMERIC_AMOUNT = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:[ \u00a0\u202f.]\d{3})+|\d+)(?:,(\d{1,2}))?\s*(?:€|euros?\b|EUR\b)"
    r"(?:\s*(HT|TTC|H\.T\.|T\.T\.C\.|hors taxes?|toutes taxes comprises)\b)?",
    re.I,
)
#: « 15 k€ », « 2,5 k€ HT »: thousands of euros
THOUSANDS_AMOUNT = re.compile(r"(?<![\d,.])(\d{1,4}(?:,\d{1,3})?)\s*k€(?:\s*(HT|TTC)\b)?", re.I)
#: « Article 1er », « Article 2 : », « ARTICLE II - Objet », « Art. 3 »
ARTICLE = re.compile(
    r"^\W*(?:article|art\.)\s+(1er|premier|\d+|[IVXLC]+)\b\s*[:.\-–—]?\s*(.*?)\W*$", re.I
)
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def plain(text: str) -> str:
    """Lower case, accents dropped, curly apostrophes straight: how headings, names and
    column headers are compared."""
    decomposed = unicodedata.normalize("NFKD", str(text).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'").strip()


def date(text: str) -> dt.date | None:
    """The first date written in ``text``, or None (a blank is no date)."""
    worded = WORDED_DATE.search(text)
    numeric = NUMERIC_DATE.search(text)
    found = min((m for m in (worded, numeric) if m), key=lambda m: m.start(), default=None)
    if found is None:
        return None
    day, month, year = found.groups()
    day = 1 if day.lower() == "1er" else int(day)
    month = MONTHS[month.lower()] if not month.isdigit() else int(month)
    try:
        return dt.date(int(year), month, day)
    except ValueError:
        return None


def words_to_number(words: str) -> int | None:
    """« cent mille » -> 100000, « deux cent cinquante mille » -> 250000."""
    total, current = 0, 0
    for word in re.split(r"[\s\-]+", words.lower().strip()):
        if not word or word == "et":
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word == "vingts":
            current += 20
        elif word in ("cent", "cents"):
            current = (current or 1) * 100
        elif word == "mille":
            total += (current or 1) * 1000
            current = 0
        elif word in ("million", "millions"):
            total += (current or 1) * 1_000_000
            current = 0
        else:
            return None
    return total + current or None


def amounts(text: str) -> list[tuple[int, Decimal, str, str]]:
    """Every amount in ``text``, in order: (where it starts, euros, tax basis HT / TTC /
    unspecified, as written)."""
    found = []
    for match in NUMERIC_AMOUNT.finditer(text):
        whole = re.sub(r"[ \u00a0\u202f.]", "", match.group(1))
        cents = match.group(2) or "0"
        found.append((match.start(), Decimal(f"{whole}.{cents}"), basis(match.group(3)),
                      match.group(0)))  # fmt: skip
    for match in THOUSANDS_AMOUNT.finditer(text):  # « 15 k€ »
        value = Decimal(match.group(1).replace(",", ".")) * 1000
        found.append((match.start(), value.quantize(Decimal("1")), basis(match.group(2)),
                      match.group(0)))  # fmt: skip
    for match in WORDED_AMOUNT.finditer(text):
        value = words_to_number(match.group(1))
        if value:
            tail = re.match(r"\s*(HT|TTC)\b", text[match.end() :])
            found.append((match.start(), Decimal(value), basis(tail and tail.group(1)),
                          match.group(0).strip()))  # fmt: skip
    return _once(sorted(found), text)


def _once(found: list, text: str) -> list:
    """An amount written in words then in figures (« dix mille euros (10 000 €) ») is one
    amount, kept as the figures say it."""
    kept = []
    for item in found:
        start, value, _, written = item
        if kept:
            before = kept[-1]
            gap = text[before[0] + len(before[3]) : start]
            if before[1] == value and re.fullmatch(r"\s*\(\s*", gap):
                kept[-1] = item
                continue
        kept.append(item)
    return kept


def basis(raw: str | None) -> str:
    if not raw:
        return "unspecified"
    letters = raw.replace(".", "").upper()
    return "HT" if letters.startswith("H") else "TTC"


def article_number(raw: str) -> int | None:
    """« 1er » / « premier » -> 1, « 12 » -> 12, « IV » -> 4."""
    word = raw.lower()
    if word in ("1er", "premier"):
        return 1
    if word.isdigit():
        return int(word)
    total, previous = 0, 0
    for letter in reversed(raw.upper()):
        value = ROMAN.get(letter)
        if value is None:
            return None
        total += -value if value < previous else value
        previous = max(previous, value)
    return total or None


def is_blank(text: str) -> bool:
    return bool(BLANK.search(text))
