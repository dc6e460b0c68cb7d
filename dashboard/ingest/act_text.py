"""Read a convention or an avenant from its text and propose its facts, each with the
article it comes from and a verbatim excerpt, or « non trouvé ». Nothing is guessed:
a blank (« le ..... », « n°..... ») is unknown, an amount without HT or TTC has an
unspecified basis, a date the text does not give stays empty.

``read_text(path)`` accepts plain text or Markdown, ``.docx`` (python-docx) and text
PDF (pypdf); ``extract(text)`` returns an ``Extraction``; ``to_facts`` turns it into the
records ``cdv load`` reads (so an extraction can be saved as TOML, corrected by hand and
loaded)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from dashboard.ingest import french
from dashboard.tracker import zipsafe
from dashboard.tracker.errors import ValidationError

EXCERPT = 300
MAX_BYTES = 10 * 1024 * 1024


@dataclass
class Fact:
    """A value with where it was read: the article (« Article 4 », « Préambule »,
    « Intitulé ») and a verbatim excerpt. ``value`` None with no excerpt: non trouvé."""

    value: object = None
    article: str | None = None
    excerpt: str | None = None
    #: why nothing was proposed where the text says something (« masqué dans le texte »)
    note: str | None = None

    @property
    def found(self) -> bool:
        return self.value is not None


def joined(lines: list[str]) -> str:
    """Lines as one text: a line wrapped by a PDF or a word processor joins the next one,
    a number cut at its hyphen is whole again (« 2025-⏎041 »)."""
    return re.sub(r"(?<=\w)- (?=\d)", "-", " ".join(lines))


@dataclass
class Section:
    label: str  # « Intitulé », « Parties (« Entre »)», « Préambule », « Article 4 », « Signatures »
    heading: str
    lines: list[str]

    @property
    def text(self) -> str:
        """The section as one text: a line wrapped by a PDF or a word processor joins
        the next one."""
        return joined(self.lines)


@dataclass
class Extraction:
    kind: Fact = field(default_factory=Fact)
    number: Fact = field(default_factory=Fact)
    amends: Fact = field(default_factory=Fact)
    amends_concluded_on: Fact = field(default_factory=Fact)
    reference: Fact = field(default_factory=Fact)
    title: Fact = field(default_factory=Fact)
    parties: list[dict] = field(default_factory=list)
    concluded_on: Fact = field(default_factory=Fact)
    signed_on: Fact = field(default_factory=Fact)
    effective_rule: Fact = field(default_factory=Fact)
    effective_on: Fact = field(default_factory=Fact)
    ends_on: Fact = field(default_factory=Fact)
    deliberation_body: Fact = field(default_factory=Fact)
    deliberation_number: Fact = field(default_factory=Fact)
    deliberation_date: Fact = field(default_factory=Fact)
    amounts: list[dict] = field(default_factory=list)
    phases: list[dict] = field(default_factory=list)
    orientations: list[dict] = field(default_factory=list)
    committee: Fact = field(default_factory=Fact)
    clauses: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        """Plain data: every fact as {valeur, article, extrait} or « non trouvé »."""
        return _jsonable(asdict(self))


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        if set(value) == {"value", "article", "excerpt", "note"}:
            if value["value"] is None:
                return value["note"] or "non trouvé"
            return {k: _jsonable(v) for k, v in value.items() if k != "note"}
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


# -- reading files ------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The text of a .md / .txt, .docx or text .pdf file; a French message otherwise."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ValidationError(f"Le fichier {path} est introuvable.") from error
    if size > MAX_BYTES:
        raise ValidationError(f"Le fichier {path.name} dépasse 10 Mo : ce n'est pas un acte.")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx(path)
    if suffix == ".pdf":
        return _pdf(path)
    if suffix in (".md", ".txt", ".markdown", ""):
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise ValidationError(
        f"Format non pris en charge : {path.name} (texte, Markdown, .docx ou PDF texte)."
    )


def _docx(path: Path) -> str:
    import docx

    unreadable = f"{path.name} n'est pas un document Word lisible."
    zipsafe.check(path, path.name, unreadable)
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises many kinds on a damaged file
        raise ValidationError(unreadable) from error
    # paragraphs and tables in the document's order; a table's cells are set apart as
    # columns (a row of amounts keeps its year, signatures side by side are read by column)
    lines = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                lines.append("     ".join(c for c in cells if c))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        # the layout mode keeps a page's blank lines and columns (signatures side by side)
        text = "\n".join(page.extract_text(extraction_mode="layout") or "" for page in reader.pages)
    except (PdfReadError, OSError, ValueError) as error:
        raise ValidationError(f"{path.name} n'est pas un PDF lisible.") from error
    if not text.strip():
        raise ValidationError(
            f"{path.name} ne contient pas de texte (un PDF scanné) : il faudrait d'abord le "
            "reconnaître (OCR) ; rien n'a été lu."
        )
    return text


# -- structure ---------------------------------------------------------------------------------

_MARKUP = re.compile(r"^\s*(?:#{1,6}\s*)?|\*\*|__|(?<!\w)\*(?!\s)|\s+$")


def clean_line(line: str) -> str:
    if re.fullmatch(r"\s*\*{3,}\s*", line):
        return "***"  # a mask where a name was, not Markdown emphasis
    return re.sub(r"[ \t\u00a0]+", " ", _MARKUP.sub("", line)).strip()


#: a gap of three spaces or more: the columns of a line set side by side
_COLUMNS = re.compile(r"(?<=\S)[ \t\u00a0]{3,}(?=\S)")


def _side_by_side(raw: list[str]) -> list[str]:
    """Signature blocks set side by side (« La Préfète      Le Président » over
    « Sabine ROLLAND      Paul-Henri MERCIER ») read column by column, so each name
    follows its role; everything before the « Fait à … » line is left as written (a table
    row keeps its year beside its amount)."""
    signed = next((i for i, line in enumerate(raw)
                   if re.match(r"^\W*fait\b", line.strip(), re.I)), len(raw))  # fmt: skip
    out, block = raw[:signed], []
    for line in [*raw[signed:], ""]:
        if _COLUMNS.search(line.strip()):
            block.append([cell.strip() for cell in _COLUMNS.split(line.strip())])
            continue
        if block:
            for column in range(max(len(row) for row in block)):
                out.extend(row[column] for row in block if column < len(row))
            block = []
        out.append(line)
    return out[:-1]


#: the lines that open the parties: « Entre », « Entre les soussignés : »
_BETWEEN = ("entre", "entre :", "entre les soussignes", "entre les soussignes :")
_AND = ("et", "et :", "d'une part, et", "et d'autre part")


def _party_opening(lowered: str, line: str, current: Section) -> list[Section] | None:
    """Parties written in a paragraph of their own: « Entre la Commune de …, d'une part, »
    then « et l'association …, d'autre part », or « Signataires : l'État, représenté par
    … ; la Communauté …, représentée par … » (one party per « ; »)."""
    before_articles = current.label in ("Intitulé", "Texte") or current.label.startswith("Parties")
    if not before_articles or "represent" not in lowered:
        return None
    if re.match(r"signataires\s*:", lowered):
        return [Section("Parties (« Signataires »)", "", [part.strip()])
                for part in line.split(":", 1)[1].split(" ; ") if part.strip()]  # fmt: skip
    if lowered.startswith("entre ") and not lowered.startswith(_BETWEEN[2]):
        return [Section("Parties (« Entre »)", "", [line[len("entre ") :]])]
    if lowered.startswith("et ") and current.label.startswith("Parties"):
        return [Section("Parties (« Et »)", "", [line[len("et ") :]])]
    return None


#: « Pour la Commune », « Pour l'État », « Pour Habitat Fictif »
_SIGNS_FOR = re.compile(r"^pour\s+(?:(?:la|le|les)\s+|l['’]\s*)?[A-ZÀ-Ýa-zà-ÿ]", re.I)
#: « Signé électroniquement par Claire DUBOIS le 03/04/2025 »
_SIGNED_BY = re.compile(r"^sign[ée]e?\s+(?:électroniquement\s+)?par\s+(.+?),?\s+le\s+(.+)$", re.I)


def _signs_for(line: str) -> bool:
    """« Pour la Commune, », « Pour la Métropole, le Président, Étienne ROCHE »: a short
    line that signs for a party (not a sentence such as « Pour l'exercice 2025, … »)."""
    return (
        bool(_SIGNS_FOR.match(line))
        and len(line) <= 120
        and not re.search(r"\d{4}|€|\beuros?\b", line)
    )


def _said_on_heading(rest: str) -> bool:
    """Whether what follows « Article N » is a sentence (its text) rather than a title."""
    return len(rest) > 80 or len(re.findall(r"\w+", rest)) > 10


def _cells(line: str) -> list[str]:
    """The cells of a row of a table: set apart by « | » or by a gap of columns."""
    line = line.strip()
    if line.count("|") >= 2:
        return [c.strip() for c in line.strip("|").split("|")]
    return [c.strip() for c in _COLUMNS.split(line)] if _COLUMNS.search(line) else [line]


def _years_in_columns(raw: list[str]) -> list[str]:
    """A table whose heading row gives years (« Financeur | 2026 | 2027 ») and whose rows
    give amounts (« Ville | 10 000 € | 12 000 € »): each amount written again as a row of
    its own with its column's year (« 2026 : 10 000 € (Ville) »)."""
    out, years = [], None
    for line in raw:
        cells = _cells(line)
        found = [c for c in cells if re.fullmatch(r"(?:19|20)\d{2}", c)]
        if len(cells) > 2 and len(found) >= 2:
            years = [c if re.fullmatch(r"(?:19|20)\d{2}", c) else None for c in cells]
            continue
        if years and len(cells) == len(years):
            label = " ".join(c for c, y in zip(cells, years, strict=True) if y is None)
            out += [f"{y} : {c} ({label})" for c, y in zip(cells, years, strict=True)
                    if y and french.amounts(c)]  # fmt: skip
            continue
        years = None
        out.append(line)
    return out


def _former_columns(raw: list[str]) -> list[str]:
    """A table of « Montant initial » and « Montant modifié » (an avenant's): the former
    amounts are dropped, so that only what the act sets is read."""
    out, former = [], None
    for line in raw:
        cells = _cells(line)
        plain = [french.plain(c) for c in cells]
        if (
            len(cells) > 2
            and any(re.search(r"\b(?:initial|ancien|avant)", c) for c in plain)
            and any(re.search(r"\b(?:modifie|nouveau|apres|revise)", c) for c in plain)
        ):
            former = [bool(re.search(r"\b(?:initial|ancien|avant)", c)) for c in plain]
            out.append(" | ".join(c for c, f in zip(cells, former, strict=True) if not f))
            continue
        if former and len(cells) == len(former):
            out.append(" | ".join(c for c, f in zip(cells, former, strict=True) if not f))
            continue
        former = None
        out.append(line)
    return out


def sections(text: str) -> list[Section]:
    """The act cut into its title, parties, preamble, articles and signatures."""
    raw = _years_in_columns(_former_columns(_side_by_side(text.splitlines())))
    lines = [clean_line(line) for line in raw]
    found: list[Section] = [Section("Intitulé", "", [])]
    for line in lines:
        if re.fullmatch(r"(?:page\s+)?\d{1,3}(?:\s*(?:/|sur)\s*\d{1,3})?", line, re.I) or (
            len(line) < 100
            and re.search(r"\bpage\s+\d{1,3}(?:\s*(?:/|sur)\s*\d{1,3})?$", line, re.I)
        ):
            continue  # a page number or a running footer, not a line of the act
        if not line:
            if found[-1].label == "Intitulé" and found[-1].lines:
                found.append(Section("Texte", "", []))  # the title is the first paragraph
            continue
        heading = french.ARTICLE.match(line)
        lowered = french.plain(line)
        current = found[-1]
        opened = None if heading else _party_opening(lowered, line, current)
        if heading and len(line) < 200 and _said_on_heading(heading.group(2)):
            # « Article 1er : Une subvention de 4 000 € est attribuée … »: the article's
            # text on its heading's line
            number = french.article_number(heading.group(1))
            found.append(Section(f"Article {number}" if number else line, "", [heading.group(2)]))
        elif heading and len(line) < 200:
            number = french.article_number(heading.group(1))
            label = f"Article {number}" if number else line
            found.append(Section(label, heading.group(2), []))
        elif opened:
            found.extend(opened)
        elif lowered in _BETWEEN:
            found.append(Section("Parties (« Entre »)", "", []))
        elif lowered in _AND:
            found.append(Section("Parties (« Et »)", "", []))
        elif lowered.startswith(("preambule", "il a ete expose", "expose des motifs")):
            found.append(Section("Préambule", line, []))
        elif lowered.startswith(
            ("il est convenu", "il a ete convenu")
        ) and current.label.startswith("Parties"):
            found.append(Section("Convenu", line, []))
        elif (lowered.startswith("fait ") or _signs_for(line) or _SIGNED_BY.match(line)) and (
            current.label.startswith(("Article", "Texte")) or current.label == "Signatures"
        ):
            if current.label != "Signatures":
                found.append(Section("Signatures", "", []))
            found[-1].lines.append(line)
        else:
            current.lines.append(line)
    return found


def normalize(text: str) -> str:
    """A value read from the text, in the seed's typography: straight apostrophes,
    « Aix – Marseille » -> « Aix-Marseille », single spaces."""
    text = text.replace("’", "'").replace("\u00a0", " ")
    text = re.sub(r"\s*[–—]\s*(?=[A-ZÀ-Ý])", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def excerpt(text: str, start: int = 0, end: int | None = None) -> str:
    """The sentence around ``text[start:end]``, verbatim, at most 300 characters."""
    end = len(text) if end is None else end
    stop = text.rfind(". ", 0, start)
    left = max(stop + 2 if stop != -1 else 0, text.rfind("\n", 0, start) + 1)
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    piece = re.sub(r"\s+", " ", text[left:right]).strip()
    if len(piece) > EXCERPT:
        middle = re.sub(r"\s+", " ", text[start:end]).strip()
        piece = middle[:EXCERPT]
    return piece


def _fact(value: object, section: Section, match: re.Match | None = None) -> Fact:
    text = section.text
    quoted = excerpt(text, match.start(), match.end()) if match else excerpt(text)
    return Fact(value, section.label, quoted)


# -- extraction -------------------------------------------------------------------------------------


def extract(text: str) -> Extraction:
    """The facts of one act; what the text does not say stays « non trouvé »."""
    parts = sections(text)
    result = Extraction()
    title = next(s for s in parts if s.label == "Intitulé")
    # a page's running head before the title (« Métropole Fictive – Direction … »): the
    # title is the first paragraph that names a kind of act
    named = [s for s in parts[:3] if s.label in ("Intitulé", "Texte") and s.lines
             and _kind_word(" ".join(s.lines)) is not None]  # fmt: skip
    if named and not _kind_word(" ".join(title.lines)):
        title = Section("Intitulé", "", named[0].lines)
    _title(result, title)
    _parties(result, parts)
    _preamble(result, parts)
    for section in parts:
        if section.label.startswith(("Article", "Parties")) or section.label in (
            "Préambule",
            "Texte",
        ):
            _dates_and_deliberation(result, section)
    articles = [s for s in parts if s.label.startswith("Article")]
    # a text without articles is read as one: what it says still counts, cited as « Texte »
    for section in articles or [s for s in parts if s.label == "Texte"]:
        _article(result, section)
    _signatures(result, parts)
    return result


_AMENDMENT = re.compile(r"^avenant\s+(?:n\s*°\s*|no\.?\s*|numéro\s+)?(\d+)", re.I)
#: a reference, after « convention », « n° » or « Référence : »: capitals, then a number
#: with slashes (« DEVT 013-2609/17/BM », « CTX 2020/114/AB »), or one token of capitals
#: and digits joined by « / », « - » or « . » (« CPO-2025-07 », « 24/0815/DPV »,
#: « 13-2024-AR-0042 »); a number alone (« avenant n° 2 ») is no reference
_REFERENCE = re.compile(
    r"(?:\b(?:convention|contrat)\s+(?:n\s*°\s*)?|\b[nN]\s*°\s*|(?i:\bréf(?:érence|\.)?\s*:?\s*))"
    r"([A-Z]{2,}\s?\d[A-Z0-9./\-]*(?:/[A-Z0-9./\-]+)+"
    r"|(?=[A-Z0-9./\-]*\d)[A-Z0-9]+(?:[./\-][A-Z0-9]+)+)(?![\w/])"
)
#: what a reference never is: the number of a law, a decree or an ordinance
_NOT_REFERENCE = re.compile(r"\b(?:loi|décret|ordonnance|article)\s+(?:n\s*°\s*)?$", re.I)
#: « convention d'objectifs et de moyens », « convention pluriannuelle d'objectifs »
_CPO = re.compile(
    r"^convention\s+(?:pluriannuelle\s+d.\s?objectifs\b|d.\s?objectifs\s+et\s+de\s+moyens\b)"
)
#: an arrêté's number (« Arrêté n° 2024-DPV-052 »): digits first are allowed there
_ORDER_NUMBER = re.compile(r"^arr[êe]t[ée]\s+n\s*°\s*([0-9A-Z][0-9A-Z./\-]*[0-9A-Z])", re.I)
_KINDS = {"avenant": "amendment", "convention": "agreement", "arrete": "order",
          "deliberation": "deliberation", "contrat": "agreement"}  # fmt: skip


def _kind_word(text: str) -> str | None:
    """The word of a kind of act that opens ``text`` (« CONVENTION-CADRE » -> convention)."""
    first = re.split(r"[\s\-]", french.plain(text), maxsplit=1)[0]
    return first if first in _KINDS else None


def _title(result: Extraction, section: Section) -> None:
    if not section.lines:
        return
    text = " ".join(section.lines)
    result.title = Fact(normalize(text), "Intitulé", excerpt(text)[:EXCERPT])
    first = _kind_word(text)
    if _CPO.match(french.plain(text)):
        result.kind = Fact("cpo", "Intitulé", result.title.excerpt)
    elif first is not None:
        result.kind = Fact(_KINDS[first], "Intitulé", result.title.excerpt)
    number = _AMENDMENT.match(text)
    if number:
        result.number = Fact(int(number.group(1)), "Intitulé", result.title.excerpt)
    reference = next((m for m in _REFERENCE.finditer(text)
                      if not _NOT_REFERENCE.search(text[: m.start(1)])), None) or (
        _ORDER_NUMBER.search(text) if result.kind.value == "order" else None
    )  # fmt: skip
    if reference:
        value = reference.group(1).strip(" .-")
        amendment = result.kind.value == "amendment"
        setattr(result, "amends" if amendment else "reference",
                Fact(value, "Intitulé", result.title.excerpt))  # fmt: skip
        # « Avenant n° 2 à la convention n° 2022/PV/045 du 3 février 2022 »
        concluded = _concluded_after(text, reference.end())
        if amendment and concluded:
            result.amends_concluded_on = Fact(concluded, "Intitulé", result.title.excerpt)


#: an anonymisation mask where a name was: « XXXXXX », « Xxxxxx Xxxxxxx », « [...] », « *** »
#: « [Nom Prénom] », « [nom] » (a name is never written in brackets), « X... », « X. »
_MASK = re.compile(
    r"\[[^\]]{0,40}\]|(?<!\w)[Xx]{3,}(?!\w)|(?<!\w)X[x]{2,}(?!\w)|\*{3,}|^…$"
    r"|(?<!\w)X\s?(?:\.{2,}|…)|(?<!\w)X\.(?!\w)"
    r"|(?<![\w.])[A-ZÀ-Ý]\.\s?[A-ZÀ-Ý]\.(?!\w)"  # initials for a name: « J. D. », « A.B. »
    r"|(?<=[a-zà-ÿ] )[A-ZÀ-Ý]\.(?![\w.])"  # a surname cut to its initial: « Jean D. »
    r"|(?<![\w.])[A-ZÀ-Ý](?:\.{2,}|…)"  # a name cut to an initial and dots: « N... P... »
)
MASKED = "masqué dans le texte"
_CIVILITY = r"(?:Monsieur|Madame|MONSIEUR|MADAME|M\.|Mme\.?|MME\.?)"
#: words that cannot begin or make a person's name
_FUNCTION_WORDS = {"le", "la", "les", "l", "sa", "son", "ses", "du", "de", "des", "d", "au",
                   "aux", "en", "par", "pour", "et"}  # fmt: skip
_NAME_TOKEN = re.compile(r"[A-ZÀ-Ý\[][\w'’\-.…\]]*")
#: words that name a function, not a person, when they are capitalised
_ROLE_WORDS = {
    "president", "presidente", "vice-president", "vice-presidente", "maire", "prefet",
    "prefete", "directeur", "directrice", "gerant", "gerante", "delegue", "deleguee",
    "secretaire", "adjoint", "adjointe", "conseiller", "conseillere", "representant",
    "representante", "tresorier", "tresoriere", "ordonnateur",
}  # fmt: skip
#: where a role said after the name stops
_ROLE_END = re.compile(
    r"\s*(?:[,;.]|\bd'une part\b|\bd'autre part\b|\bagissant\b|\bdûment\b|\bhabilit|"
    r"\bci-après\b|\bou son représentant\b)",
    re.I,
)


def is_masked(text: str) -> bool:
    """Whether a name as written is an anonymisation mask (or holds one)."""
    return bool(_MASK.search(text))


def _name_at(text: str, start: int) -> tuple[int, int] | None:
    """The span of a person's name from ``start``: « Prénom(s) NOM(S) » whole when the
    surname is in capitals (compound first names included), else two or three words."""
    tokens = []
    position = start
    while True:
        match = _NAME_TOKEN.match(text, position)
        word = french.plain(match.group(0)).strip(".,") if match else ""
        particle = bool(tokens) and match is not None and match.group(0).isupper()
        if (
            not match
            or word in _ROLE_WORDS
            or (word.split("'")[0] in _FUNCTION_WORDS and not particle)
        ):
            break
        tokens.append(match)
        after = text[match.end() : match.end() + 1]
        if after != " " or len(tokens) == 5:
            break
        position = match.end() + 1
    if not tokens:
        return None
    words = [m.group(0).rstrip(".,") for m in tokens]
    capitals = [i for i, w in enumerate(words) if len(w.replace("-", "")) > 1 and w.isupper()]
    if capitals:
        last = capitals[0]
        while last + 1 < len(words) and last + 1 in capitals:
            last += 1
        return tokens[0].start(), tokens[0].start() + len(" ".join(words[: last + 1]))
    if len(words) == 1 and not is_masked(words[0]):
        return None
    return tokens[0].start(), tokens[0].start() + len(
        " ".join(words[:3] if len(words) > 3 else words)
    )


def _representative(text: str) -> tuple[str | None, str | None, int, int] | None:
    """(name or None when masked, role, start, end) of who represents a party."""
    by = re.search(r"représentée?\s+par\s+", text, re.I)
    if not by:
        return None
    rest_start = by.end()
    window = text[rest_start : rest_start + 160]
    civility = re.search(_CIVILITY + r"\s+", window)
    # a mask after the civility (« M. J. D. »: « M. » is the civility, « J. D. » the mask)
    mask = _MASK.search(window, civility.end() if civility else 0)
    candidates = []
    if civility:
        candidates.append((civility.start(), civility.end()))
    if mask:
        candidates.append((mask.start(), mask.start()))
    if candidates:
        lead, name_start = min(candidates)
    else:
        # the first capitalised word that is not a function (« sa Présidente Martine Vassal »)
        first = next(
            (m for m in re.finditer(r"(?<![\w'’])[A-ZÀ-Ý][\w'’\-]*", window)
             if french.plain(m.group(0)).strip("'’") not in _ROLE_WORDS | _FUNCTION_WORDS),
            None,
        )  # fmt: skip
        if not first:
            return None
        lead = name_start = first.start()
    titled = re.match(r"(?:le|la|l')\s*([^,]{1,60}),\s*", window[name_start:], re.I)
    if titled and french.plain(titled.group(1)).split(" ")[0] in _ROLE_WORDS:
        name_start += titled.end()  # « Monsieur le Maire, Marc-Antoine LEGRAND »
    span = _name_at(window, name_start)
    if mask and name_start <= mask.start() <= (span[1] + 1 if span else name_start):
        span = (name_start, max(mask.end(), span[1] if span else 0))  # « Mme A. B. », « Jean D. »
    if span is None:
        return None
    name = window[span[0] : span[1]]
    before = re.sub(r"^(?:sa|son|le|la|l')\s*", "", window[:lead], flags=re.I).strip(" ,")
    role = before or None
    if role is None and window[span[1] :].startswith(","):
        tail = window[span[1] + 1 :]
        stop = _ROLE_END.search(tail)
        role = (tail[: stop.start()] if stop else tail).strip() or None
    if role and re.search(r"d'une part|d'autre part", role, re.I):
        role = None
    return (None if is_masked(name) else name), role, rest_start + lead, rest_start + span[1]


def _listed(section: Section) -> list[str]:
    """The parties of a section: one, or one per item of a bulleted list (« - la Ville de
    …, représentée par … »)."""
    items = [re.sub(r"^[-•–*]\s+", "", x) for x in section.lines if re.match(r"^[-•–*]\s+", x)]
    if len(items) > 1 and all("représent" in x for x in items):
        return items
    return [" ".join(section.lines)]


def _parties(result: Extraction, parts: list[Section]) -> None:
    for section, text in [(s, t) for s in parts if s.label.startswith("Parties")
                          for t in _listed(s)]:  # fmt: skip
        if not text:
            continue
        name_end = re.search(r",?\s*(?:et\s+)?représentée?\s+par|,", text)
        organisation = normalize(text[: name_end.start()] if name_end else text)
        first = _named_first(text)
        if first:
            organisation = first[2]
        organisation = re.sub(r"^(?:la|le|l')\s*", "", organisation, flags=re.I)
        party = {"organisation": Fact(organisation, section.label, excerpt(text)[:EXCERPT]),
                 "represented_by": Fact(), "role": Fact(), "signatory": Fact(),
                 "signatory_role": Fact()}  # fmt: skip
        who = _representative(text) or (first and _first_as_representative(text, first))
        if who:
            name, role, start, end = who
            quoted = excerpt(text, start, end)
            party["represented_by"] = (
                Fact(_person(name), section.label, quoted)
                if name
                else Fact(None, section.label, quoted, note=MASKED)
            )
            if role:
                party["role"] = Fact(normalize(role), section.label, quoted)
        result.parties.append(party)


#: « Monsieur Hervé COLIN, Maire de Fictibourg, agissant au nom et pour le compte de la
#: Commune de Fictibourg … », « Madame Inès BERGER, Présidente de l'association … »
_NAMED_FIRST = re.compile(
    _CIVILITY + r"\s+(?P<name>[^,]{2,60}),\s*(?P<role>[^,]{2,80}?)"
    r"(?:\s+(?:de|du|des|de la|de l')\s*(?P<of>[^,]{2,120}))?\s*(?:,|$)"
)


def _named_first(text: str) -> tuple[str, str, str] | None:
    """(name as written, role, organisation) of a party whose paragraph opens with the
    person who acts for it: the organisation « pour le compte » of which it acts, else
    the one its role names (« Présidente de l'association … »)."""
    opening = _NAMED_FIRST.match(text)
    if not opening:
        return None
    role = opening.group("role").strip()
    if french.plain(role).split(" ")[0] not in _ROLE_WORDS:
        return None
    account = re.search(r"pour le compte (?:de la|du|de l'|de)\s*([^,]+?)(?:\s+en vertu\b|,|$)",
                        text, re.I)  # fmt: skip
    organisation = normalize(account.group(1)) if account else normalize(opening.group("of") or "")
    if not organisation:
        return None
    return opening.group("name").strip(), role, organisation


def _first_as_representative(text: str, first: tuple) -> tuple | None:
    name, role, _ = first
    span = _name_at(name, 0)
    if span is None:
        return None
    whole = name[span[0] : span[1]]
    masked = is_masked(name)
    start = text.find(name)
    return (None if masked else whole), role, start, start + len(name)


def _person(raw: str) -> str:
    """« Mustapha BERRA » -> « Mustapha Berra »; « M. Martial ALVAREZ » -> « Martial
    Alvarez »; « DURAND-VIAL » -> « Durand-Vial »."""
    raw = re.sub(r"^" + _CIVILITY + r"\s+", "", raw.strip())
    return " ".join(_capitalised(w) if w.isupper() and len(w) > 1 else w for w in raw.split())


def _capitalised(word: str) -> str:
    """« DURAND-VIAL » -> « Durand-Vial », « N'DIAYE » -> « N'Diaye »."""
    return "".join(p.capitalize() for p in re.split(r"([\-'’])", word))


_PHASE = re.compile(r"^phase\s+(\d+)\s*[:\-–—]\s*(.+)$", re.I)


def _preamble(result: Extraction, parts: list[Section]) -> None:
    for section in parts:
        if section.label not in ("Préambule", "Convenu") and not section.label.startswith(
            "Article"
        ):
            continue
        for line in section.lines:
            phase = _PHASE.match(line)
            if phase:
                title = _item_title(phase.group(2))
                result.phases.append({"number": int(phase.group(1)),
                                      "title": Fact(title, section.label, line[:EXCERPT])})  # fmt: skip
            if result.kind.value == "amendment" and not result.amends.found:
                _amended_in(result, section, line)
            concluded = re.search(r"convention initiale conclue le\s+(.{0,40})", line, re.I)
            if concluded and not result.amends_concluded_on.found:
                day = french.date(concluded.group(1))
                if day:
                    result.amends_concluded_on = Fact(day, section.label, excerpt(line))


def _amended_in(result: Extraction, section: Section, line: str) -> None:
    """« Vu la convention n° 2023-PV-77 signée le 2 mars 2023 »: the convention an avenant
    amends, when its title does not say it, and the day it was signed."""
    cited = re.search(r"\bconvention\b[^;.]{0,60}?", line, re.I)
    reference = cited and _REFERENCE.search(line, cited.start())
    if not reference or _NOT_REFERENCE.search(line[: reference.start(1)]):
        return
    result.amends = Fact(reference.group(1).strip(" .-"), section.label, excerpt(line))
    concluded = _concluded_after(line, reference.end())
    if concluded:
        result.amends_concluded_on = Fact(concluded, section.label, excerpt(line))


def _concluded_after(text: str, end: int) -> dt.date | None:
    """The day a cited convention was made, said right after its reference (« n° … du 3
    février 2022 », « … signée le 2 mars 2023 »)."""
    said = re.match(r"\s*(?:du|en date du|signée le|conclue le)\s+(.{0,30})", text[end:], re.I)
    return french.date(said.group(1)) if said else None


def _item_title(raw: str) -> str:
    """A phase or orientation as a title: first letter capitalised, trailing « ; » or
    « . » dropped (« etc » keeps its period)."""
    title = normalize(raw).rstrip(" ;.,")
    if title.endswith("etc"):
        title += "."
    return title[:1].upper() + title[1:]


_DAY = r"((?:1er|\d{1,2})\s+\w+\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})"
#: « délibération [n° X] du Conseil municipal [n° X] (du|en date du) <date> »; a number
#: may hold spaces (« n° URB 012-3456/24/CM »), up to three words
_DELIBERATION = re.compile(
    r"délibération\s*(?:n\s*°\s*(\S+(?:\s\S+){0,2}?))?\s*(?:du|de la|de l')\s+"
    r"((?:Bureau|Conseil|Comité|Commission)[^,.;]*?)(?:\s+n\s*°\s*([^\s,]+))?"
    r"\s+(?:du|en date du)\s+" + _DAY,
    re.I,
)


#: a deliberation cited with its number and date but no body (« agissant en vertu de la
#: délibération n° 2021-123 en date du 12 mars 2021 »)
_DELIBERATION_NUMBERED = re.compile(
    r"délibération\s*n\s*°\s*([^\s,]+)\s+(?:en date\s+)?du\s+" + _DAY,
    re.I,
)

#: the words of a body's name that stay capitalised when it is written in capitals
_PROPER = {"métropole", "territoire", "département", "région", "agglomération", "ville",
           "commune", "communauté", "état"}  # fmt: skip


def _body(raw: str) -> str:
    """A deliberating body as the seed writes it: « COMMISSION PERMANENTE » -> « Commission
    permanente », « CONSEIL DE LA MÉTROPOLE » -> « Conseil de la Métropole »."""
    body = normalize(raw)
    if body.upper() != body:
        return body
    words = body.lower().split(" ")
    return " ".join([words[0].capitalize()] + [w.capitalize() if w in _PROPER else w
                                               for w in words[1:]])  # fmt: skip


def _number(raw: str | None) -> str | None:
    if not raw or french.is_blank(raw) or is_masked(raw):
        return None
    return raw.strip(" .")


#: the date before the body: « délibération en date du 5 mars 2025 du Conseil de la
#: Métropole »
_DELIBERATION_DATED_FIRST = re.compile(
    r"délibération\s*(?:n\s*°\s*([^\s,]+)\s+)?en date du\s+"
    + _DAY
    + r"\s+(?:du|de la|de l')\s+((?:Bureau|Conseil|Comité|Commission)[^,.;]*)",
    re.I,
)


def _dates_and_deliberation(result: Extraction, section: Section) -> None:
    text = section.text
    first = _DELIBERATION_DATED_FIRST.search(text)
    if first and not result.deliberation_date.found:
        number, day, body = first.groups()
        result.deliberation_body = _fact(_body(body), section, first)
        result.deliberation_date = _fact(french.date(day), section, first)
        if _number(number):
            result.deliberation_number = _fact(_number(number), section, first)
    deliberation = _DELIBERATION.search(text)
    if deliberation and not result.deliberation_date.found:
        before, body, after, day = deliberation.groups()
        result.deliberation_body = _fact(_body(body), section, deliberation)
        result.deliberation_date = _fact(french.date(day), section, deliberation)
        number = _number(before) or _number(after)
        if number:
            result.deliberation_number = _fact(number, section, deliberation)
    numbered = _DELIBERATION_NUMBERED.search(text)
    if numbered and not result.deliberation_date.found:
        number, day = numbered.groups()
        result.deliberation_date = _fact(french.date(day), section, numbered)
        if _number(number):
            result.deliberation_number = _fact(_number(number), section, numbered)


def _article(result: Extraction, section: Section) -> None:
    heading, text = french.plain(section.heading), section.text
    lowered = french.plain(text)
    if any(w in heading for w in ("objet", "determination", "etapes")) or (
        section.label == "Article 1" and not result.orientations
    ):
        _object(result, section)
    elif not result.orientations and re.search(r"\b(?:orientations?|axes?|piliers?)\b", heading):
        _orientations(result, section, numbered=True)  # « Article 2 - Orientations »
    if "financ" in heading or "€" in text or re.search(r"\beuros?\b", lowered):
        _money(result, section)
    if any(w in heading for w in ("pilotage", "comite", "instance", "gouvernance", "suivi")):
        _committee(result, section)
    if any(w in heading for w in ("duree", "effet", "vigueur")) or re.search(
        r"terme|date d.effet|date de fin", lowered
    ):
        _duration(result, section)
    if "modification" in heading or re.search(r"toute modification", text, re.I):
        match = re.search(r"toute modification[^.]*avenant[^.]*\.", text, re.I)
        if match:
            _clause(result, "modification_by_amendment", section, match)
    if "litige" in heading or "amiable" in lowered:
        _delay(result, "amicable_settlement", section, r"délai")
    if "resiliation" in heading:
        _delay(result, "termination_notice", section, r"(?:délai|préavis)")


def _delay(result: Extraction, kind: str, section: Section, word: str) -> None:
    """A clause that gives a delay (« un délai de 30 jours », « un préavis de trois mois »,
    « d'un mois »), with it in days or months."""
    match = re.search(word + r" (?:de|d')\s*(\w+) (jours|mois)", section.text, re.I)
    if match and _count(match.group(1)):
        unit = "days" if match.group(2).lower() == "jours" else "months"
        _clause(result, kind, section, match, **{unit: _count(match.group(1))})


def _count(word: str) -> int | None:
    """« 3 » or « trois »: a number of months or days as written."""
    return int(word) if word.isdigit() else french.UNITS.get(word.lower())


def _clause(result: Extraction, kind: str, section: Section, match: re.Match, **numbers) -> None:
    result.clauses.append({"kind": kind, "article": section.label,
                           "excerpt": excerpt(section.text, match.start(), match.end()),
                           **numbers})  # fmt: skip


def _object(result: Extraction, section: Section) -> None:
    _orientations(result, section)
    lines = section.lines
    first = next((line for line in lines if not re.match(r"^[-•–*]\s+", line)), None)
    if first:
        result.clauses.append({"kind": "object", "article": section.label,
                               "excerpt": excerpt(first)})  # fmt: skip


def _orientations(result: Extraction, section: Section, numbered: bool = False) -> None:
    """Each bullet of the article is an orientation (with the phase said before it); in
    an article of orientations, axes or piliers, a numbered item (« 1. ») is one too."""
    lines = section.lines
    marker = r"^(?:[-•–*]|\d{1,2}[.)°])\s+" if numbered else r"^[-•–*]\s+"
    bullets = [(i, line) for i, line in enumerate(lines) if re.match(marker, line)]
    for index, line in bullets:
        before = " ".join(lines[:index])
        mentioned = re.findall(r"phase\s+(\d+)", before, re.I)
        phase = int(mentioned[-1]) if mentioned else None
        title = _item_title(re.sub(marker, "", line))
        result.orientations.append({"phase": phase,
                                    "title": Fact(title, section.label, line[2:][:EXCERPT])})  # fmt: skip


#: a year said for money, after its word (« pour », « au titre de », « exercice : »…)
_SAID_YEAR = r"\s*(?:l'(?:année|exercice)\s+)?((?:19|20)\d{2})\b"
_YEAR = re.compile(r"\b(?:pour|au titre de|exercice\s*:?|année\s*:)" + _SAID_YEAR, re.I)

#: the year said right after an amount, before anything else: « 60 000 € en 2023 »,
#: « 12 000 € pour 2025 », « … au titre de l'exercice 2024 »
_OWN_YEAR = re.compile(
    r"^\s*(?:(?:HT|TTC|net|nets?)\s*)?,?\s*(?:pour|en|au titre de|sur)\s+"
    r"(?:l'(?:année|exercice)\s+)?((?:19|20)\d{2})\b",
    re.I,
)

#: the year said right before an amount: « pour 2023 : 60 000 € »
_YEAR_BEFORE = re.compile(
    r"\b(?:pour|en|au titre de|exercice)\s+(?:l'(?:année|exercice)\s+)?((?:19|20)\d{2})"
    r"\s*[:,]?\s*(?:de\s+|d')?$",
    re.I,
)

#: every year a sentence names for money (« en 2023 » too)
_ANY_YEAR = re.compile(r"\b(?:pour|en|au titre de|exercice\s*:?|année\s*:)" + _SAID_YEAR, re.I)

#: a year written just before an amount: a row of a table once its columns are joined
_ROW_YEAR = re.compile(r"(?<![\w/])((?:19|20)\d{2})\s*[|:]?\s*$")


def _year_of(line: str, found: list, index: int, several: bool) -> re.Match | None:
    """The fiscal year of the index-th amount of a sentence: the year said right after it
    (« 80 000 € pour 2023 »). Otherwise, when the sentence names at most one year, that
    year, or the year that begins a row of a table (« 2023     20 000 € TTC »). When it
    names several, only a year said right before the amount, after the previous one — never
    another amount's year (« 60 000 € en 2023, 65 000 € en 2024 »); else « non trouvé »."""
    before, after = _around(line, found, index)
    own = _OWN_YEAR.search(after)
    if own:
        return own
    if not several:
        end = found[index][0] + len(found[index][3])
        return _YEAR.search(line, end) or _YEAR.search(line) or _ROW_YEAR.search(before)
    return _YEAR_BEFORE.search(before) or _ROW_YEAR.search(before)


#: an amount that restates or splits another: « soit 30 000 € », « le solde de 20 000 € »,
#: « un acompte de … », « une avance de … » — a payment schedule, not a budget line
_INSTALLMENT = re.compile(
    r"\b(?:soit(?!\s+(?:au plus|au maximum|un maximum|un montant maximum|dans la limite))"
    r"|acompte|avance|solde|reliquat|versement|à raison de)\b"
    # a figure of context, not the act's amount: « coût total … estimé à 80 000 € »
    r"|\b(?:estimée?s?|évaluée?s?)\s+à\s*$|\b(?:coût|budget)\s+(?:total|global|prévisionnel)\b",
    re.I,
)


#: a basis written before its amount: « Montant HT : 20 000,00 € »
_BASIS_BEFORE = re.compile(r"\b(HT|TTC|H\.T\.|T\.T\.C\.|hors taxes?|toutes taxes comprises)\s*[:=]?\s*$",
                           re.I)  # fmt: skip


def _around(line: str, found: list, index: int) -> tuple[str, str]:
    """The text between the previous amount (or the sentence's start) and the index-th
    one, and between it and the next amount (or the sentence's end)."""
    start, _, _, written = found[index]
    previous = found[index - 1][0] + len(found[index - 1][3]) if index else 0
    following = found[index + 1][0] if index + 1 < len(found) else len(line)
    return line[previous:start], line[start + len(written) : following]


def _basis_before(line: str, found: list, index: int) -> str | None:
    said = _BASIS_BEFORE.search(_around(line, found, index)[0])
    return french.basis(said.group(1)) if said else None


def _restated(line: str, found: list, index: int, bases: list[str]) -> bool:
    """The VAT of a price (« TVA (20 %) : 4 000 € »), or the same price on another basis
    (« Montant TTC : 24 000 € » after « Montant HT : 20 000 € »): not a budget line."""
    vat = re.search(r"\b(?:TVA|taxe sur la valeur ajoutée)\b", _around(line, found, index)[0], re.I)
    other = bases[index] != "unspecified" and any(
        b not in ("unspecified", bases[index]) for b in bases[:index]
    )
    return bool(vat or other)


def _each_year(line: str, end: int) -> list[int]:
    """The years an amount is said for each of: « … pour chacune des années 2025, 2026 et
    2027 », « … par an pour les années 2025 à 2027 »."""
    each = re.match(r"\s*(?:par an\s+)?pour\s+chacune\s+des\s+années\s+((?:(?:19|20)\d{2}"
                    r"(?:\s*,\s*|\s+et\s+))+(?:19|20)\d{2})", line[end:], re.I)  # fmt: skip
    if each:
        return [int(y) for y in re.findall(r"(?:19|20)\d{2}", each.group(1))]
    span = re.match(r"\s*par an\s+(?:pour les années|de)\s+((?:19|20)\d{2})\s+à\s+((?:19|20)\d{2})",
                    line[end:], re.I)  # fmt: skip
    if span and 0 < int(span.group(2)) - int(span.group(1)) < 10:
        return list(range(int(span.group(1)), int(span.group(2)) + 1))
    return []


def _installment(line: str, found: list, index: int) -> bool:
    """Whether the amount restates, splits or is replaced by another (« porté de 20 000 €
    à 26 000 € »: the first is the former amount, not the act's)."""
    before, after = _around(line, found, index)
    clause = re.split(r"[,;:]", before)[-1]
    replaced = (
        index + 1 < len(found)
        and re.fullmatch(r"\s*(?:à|en)\s*", after)
        and re.search(r"\bde\s*$", clause)
    )
    return bool(_INSTALLMENT.search(clause) or replaced)


#: a row of a table that begins with its year (« 2025 | 30 000 € », « Exercice 2025 …… »)
_ROW_START = re.compile(
    r"^\W*(?:(?:exercice|année)\s+)?(?:19|20)\d{2}\s*(?:[|:]|\.{3,}|…|\d|$)", re.I
)


def _sentences(section: Section) -> list[str]:
    """The section sentence by sentence: lines cut by a PDF are joined again, a row of a
    table is a sentence of its own, and dot leaders (« …… », « ...... ») are a gap."""
    runs, current = [], []
    for line in section.lines:
        if _ROW_START.match(line):
            runs.extend([joined(current), re.sub(r"\.{3,}|…+", " ", line)])
            current = []
        else:
            current.append(line)
    runs.append(joined(current))
    text = "\n".join(run for run in runs if run)
    return [x for x in re.split(r"(?<=[^.][.;])\s+|\n", text) if x.strip()]


def _money(result: Extraction, section: Section) -> None:
    text = section.text
    list_year = None
    for line in _sentences(section):  # sentence by sentence
        years = {m.group(1) for m in _ANY_YEAR.finditer(line)}
        item = re.match(r"^\s*[-•–]\s", line)
        if re.search(r":\s*[-•–]\s", line) or line.rstrip().endswith(":"):
            list_year = next(iter(years)) if len(years) == 1 else None
        elif not item:
            list_year = None
        found = french.amounts(line)
        bases = [b if b != "unspecified" else (_basis_before(line, found, i) or b)
                 for i, (_, _, b, _) in enumerate(found)]  # fmt: skip
        for index, (position, value, _, written) in enumerate(found):
            basis = bases[index]
            if _installment(line, found, index) or _restated(line, found, index, bases):
                continue
            each = _each_year(line, position + len(written))
            if each:  # « 10 000 € pour chacune des années 2025, 2026 et 2027 »
                excerpted = excerpt(line, position, position + len(written))
                result.amounts += [{"amount": Fact(value, section.label, excerpted),
                                    "fiscal_year": Fact(y, section.label, excerpt(line)),
                                    "tax_basis": basis} for y in each]  # fmt: skip
                continue
            year = _year_of(line, found, index, several=len(years) > 1)
            inherited = None if year or not (item and list_year) else list_year
            result.amounts.append({
                "amount": Fact(value, section.label, excerpt(line, position, position + len(written))),
                "fiscal_year": Fact(int(year.group(1)), section.label, excerpt(line))
                if year else Fact(int(inherited), section.label, excerpt(text)) if inherited
                else Fact(),
                "tax_basis": basis,
            })  # fmt: skip
    # an article on money says how the act is financed, with amounts or without
    # (« les engagements financiers feront l'objet de conventions annuelles »)
    money = result.amounts or "financ" in french.plain(section.heading)
    if money and not any(c["kind"] == "financing" for c in result.clauses):
        result.clauses.append({"kind": "financing", "article": section.label,
                               "excerpt": excerpt(text)})  # fmt: skip


def _committee(result: Extraction, section: Section) -> None:
    # both named (« un comité technique prépare les décisions du comité de pilotage »):
    # the comité de pilotage steers
    match = re.search(r"comit[ée]\s+(de pilotage)", section.text, re.I) or re.search(
        r"comit[ée]\s+(technique)", section.text, re.I
    )
    if not match:
        # another body that follows the act (« un comité de suivi … se réunit »): a
        # steering clause, of no kind the tracker names
        other = re.search(
            r"comit[ée]\s+(?:de\s+suivi|d'évaluation|de coordination)", section.text, re.I
        )
        if other and not any(c["kind"] == "steering" for c in result.clauses):
            _clause(result, "steering", section, other)
        return
    if result.committee.found:
        return
    kind = "copil" if "pilotage" in match.group(1).lower() else "cotech"
    result.committee = _fact(kind, section, match)
    result.clauses.append({"kind": "steering", "article": section.label,
                           "excerpt": excerpt(section.text, match.start(), match.end())})  # fmt: skip


#: what starts an act: « prend effet », « entre en vigueur », « est conclue pour trois ans »
_STARTS = (r"(?:(?:prend|prendra)\s+effet|entre(?:ra)?\s+en\s+vigueur"
           r"|conclue?\s+pour\s+[^.;]{0,60}?)")  # fmt: skip
_AT_SIGNATURE = re.compile(
    _STARTS + r"\s+(?:à\s+compter\s+de\s+(?:la\s+date\s+de\s+)?|à\s+(?:la\s+date\s+de\s+)?|dès\s+)"
    r"(?:sa|la)\s+(?:dernière\s+)?signature[^.]*",
    re.I,
)
_FIXED_START = re.compile(
    r"(?:(?:prend|prendra)\s+effet|entre(?:ra)?\s+en\s+vigueur)\s+(?:le|au|à compter du)\s+"
    r"([^.,;]+)|conclue?\s+pour\s+[^.;]{0,60}?\s+à\s+compter\s+du\s+([^.,;]+)",
    re.I,
)


def _duration(result: Extraction, section: Section) -> None:
    text = section.text
    signature = _AT_SIGNATURE.search(text)
    labelled = re.search(r"date\s+d['’]effet\s*:\s*([^;]{6,30})", text, re.I)
    if labelled and french.date(labelled.group(1)) and not signature:
        result.effective_rule = _fact("fixed_date", section, labelled)
        result.effective_on = _fact(french.date(labelled.group(1)), section, labelled)
    elif signature:
        result.effective_rule = _fact("at_signature", section, signature)
    else:
        fixed = _FIXED_START.search(text)
        day = fixed and french.date(fixed.group(1) or fixed.group(2))
        if day:
            result.effective_rule = _fact("fixed_date", section, fixed)
            result.effective_on = _fact(day, section, fixed)
    end = re.search(r"(?:terme\s+(?:au|le)|jusqu'au|prend(?:ra)?\s+fin\s+le|expire\s+le|"
                    r"date\s+de\s+fin\s*:|(?:reportée?|prorogée?)\s+au|"
                    r"s[’']achève(?:ra)?\s+le|se\s+termine(?:ra)?\s+le)\s+"
                    r"([^.;]{0,40})", text, re.I)  # fmt: skip
    if end and french.date(end.group(1)) and not result.ends_on.found:
        result.ends_on = _fact(french.date(end.group(1)), section, end)
        _clause(result, "duration", section, end)
    period = re.search(r"période\s+du\s+((?:1er|\d{1,2})\s+\w+\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})\s+"
                       r"au\s+((?:1er|\d{1,2})\s+\w+\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})", text, re.I)  # fmt: skip
    if period and french.date(period.group(1)) and french.date(period.group(2)):
        if not result.effective_rule.found:  # « pour la période du 1er septembre 2025 au … »
            result.effective_rule = _fact("fixed_date", section, period)
            result.effective_on = _fact(french.date(period.group(1)), section, period)
        if not result.ends_on.found:
            result.ends_on = _fact(french.date(period.group(2)), section, period)
            _clause(result, "duration", section, period)
    lasts = re.search(r"conclue?\s+pour\s+(?:une\s+durée\s+(?:de|d')\s*)?\w+\s+(?:ans?|mois|années?)\b",
                      text, re.I)  # fmt: skip
    if lasts and not any(c["kind"] == "duration" for c in result.clauses):
        _clause(result, "duration", section, lasts)
    extension = re.search(r"avenant\s+afin\s+de\s+prolonger|prolong\w*\s+par\s+avenant", text, re.I)
    if extension:
        _clause(result, "extension_by_amendment", section, extension)


def _signatures(result: Extraction, parts: list[Section]) -> None:
    block = next((s for s in parts if s.label == "Signatures"), None)
    if block is None:
        return
    lines = block.lines
    signed_for = False
    for index, line in enumerate(lines):
        if re.match(r"^fait\b", line, re.I):
            # « Fait à Fictiville, le 3 mai 2024 », « Fait à X, en deux exemplaires, le … »
            # « …, le 4 décembre 2023, en deux exemplaires »: the « le » a date follows
            said = [m.group(1) for m in re.finditer(r"(?:,\s*|\s)le\s+([^,]*)", line, re.I)]
            day = next((french.date(x) for x in said
                        if not french.is_blank(x[:12]) and french.date(x)), None)  # fmt: skip
            if day:
                result.signed_on = Fact(day, "Signatures", line[:EXCERPT])
            continue
        electronic = _SIGNED_BY.match(line)
        if electronic:
            _signed_electronically(result, line, electronic)
            continue
        if not _SIGNS_FOR.match(line):
            continue
        signed_for = True
        # « Pour la Métropole, le Président, Étienne ROCHE », « Pour l'État : Gaëlle
        # FOURNIER, Préfète déléguée »: the block on one line
        pieces = [x.strip() for x in line.split(",")]
        colon = re.match(r"^(pour [^:]+?)\s*:\s*(.+)$", line, re.I)
        if colon:
            said = [x.strip() for x in colon.group(2).split(",") if x.strip()]
            named = [x for x in said if _name_line([x])]
            if len(named) == 1:
                line, following = colon.group(1), [*(x for x in said if x not in named), named[0]]
            else:
                following = []
        elif len(pieces) > 1 and pieces[-1] and _name_line(pieces[-1:]):
            line, following = pieces[0], [x for x in pieces[1:] if x]
        else:
            following = [x for x in lines[index + 1 : index + 4]
                         if not _SIGNS_FOR.match(x)]  # fmt: skip
        party = _party_for(result, line)
        if party is not None:
            _sign(party, line, following)
    if not signed_for and result.parties:
        _signed_by_role(result, lines)
    elif not signed_for:
        _authority(result, parts, lines)


def _signed_electronically(result: Extraction, line: str, signed: re.Match) -> None:
    """« Signé électroniquement par Claire DUBOIS le 03/04/2025 »: she signs for the party
    she represents (none: left for the reviewer); the act is signed on the last date."""
    day = french.date(signed.group(2))
    if day and (not result.signed_on.found or day > result.signed_on.value):
        result.signed_on = Fact(day, "Signatures", line[:EXCERPT])
    name = signed.group(1).strip()
    if is_masked(name) or _name_at(name, 0) != (0, len(name)):
        return
    person = _person(name)
    party = next((p for p in result.parties if p["represented_by"].value == person), None)
    if party is not None:
        party["signatory"] = Fact(person, "Signatures", line[:EXCERPT])


def _signed_by_role(result: Extraction, lines: list[str]) -> None:
    """Blocks with no « Pour … » line (« Le Maire de Fictimont » over « Lucie FERRAND »):
    a role followed by a name signs for the party that person represents, or whose name
    the role shares; a block that matches no party is left for the reviewer."""
    for index, line in enumerate(lines[:-1]):
        if not re.match(r"^(?:le|la|l')\s*\w", line, re.I) or _name_line([line]):
            continue
        name_line = _name_line(lines[index + 1 : index + 2])
        if name_line is None or is_masked(name_line):
            continue
        person = _person(name_line)
        party = next((p for p in result.parties if p["represented_by"].value == person), None)
        party = party or _party_for(result, line)
        if party is not None and not party["signatory"].found:
            _sign(party, "", [line, name_line])


def _name_line(lines: list[str]) -> str | None:
    """The line of a signature block that names the signatory (or masks the name)."""
    civil = next((x for x in lines if re.match(_CIVILITY + r"\s", x)), None)
    if civil:
        return civil
    # the line that is a name, or a mask (a footer or « (signé) » may follow or precede it)
    return next((x for x in reversed(lines)
                 if is_masked(x) or _name_at(x, 0) == (0, len(x))), None)  # fmt: skip


def _sign(party: dict, line: str, following: list[str]) -> None:
    """The signatory of a party from its block (« Pour la … », role, name)."""
    name_line = _name_line(following)
    if name_line is None:
        return
    quoted = " ".join(x for x in [line, *following] if x)[:EXCERPT]
    role = next((x for x in following if x is not name_line), None)
    if is_masked(name_line):
        party["signatory"] = Fact(None, "Signatures", quoted, note=MASKED)
    else:
        party["signatory"] = Fact(_person(name_line), "Signatures", quoted)
    if role:
        party["signatory_role"] = Fact(role, "Signatures", quoted)


def _authority(result: Extraction, parts: list[Section], lines: list[str]) -> None:
    """An act signed by one authority (an arrêté: « Le Président de la Métropole, …
    ARRÊTE »): that authority, as the text names it, is its party and signs it."""
    text = next((s for s in parts if s.label == "Texte" and s.lines), None)
    if text is None or result.parties:
        return
    first = text.lines[0].rstrip(" ,")
    if not re.match(r"^(?:le|la|l')\s*\w", first, re.I) or len(first) > 120:
        return
    name = re.sub(r"^(?:la|le|l')\s*", "", normalize(first), flags=re.I)
    party = {"organisation": Fact(name, "Texte", first[:EXCERPT]), "represented_by": Fact(),
             "role": Fact(), "signatory": Fact(), "signatory_role": Fact()}  # fmt: skip
    following = [x for x in lines if not re.match(r"^fait à", x, re.I)]
    _sign(party, first, following)
    result.parties.append(party)


def _party_for(result: Extraction, line: str) -> dict | None:
    """The party a « Pour la … » line signs for: the one whose name shares most words."""
    words = set(re.findall(r"\w{3,}", french.plain(line)))
    best, score = None, 0
    for party in result.parties:
        name = party["organisation"].value or ""
        if re.match(r"^pour\s+(?:le|la)\s+\w+\s+et\s+par\s+délégation", line, re.I):
            name = party["role"].value or ""  # « Pour le Maire et par délégation »
        common = len(words & set(re.findall(r"\w{3,}", french.plain(name))))
        if common > score:
            best, score = party, common
    return best
