"""Turn raw input (typed values or what a form sends) into clean values, or refuse
it with a French message saying what is wrong and what was received."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from dashboard.tracker import fmt
from dashboard.tracker.errors import ValidationError

MAX_TITLE = 500
MAX_TEXT = 5000
MAX_AMOUNT = Decimal("999999999999.99")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: bidirectional controls (LRM, RLM, ALM, embeddings, overrides, isolates): they can
#: make a stored text read differently from what it is (« Trojan Source »)
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_AMOUNT_TEXT = 40
#: what the amount message shows as accepted forms
AMOUNT_FORMS = "« 1000 », « 1 000 », « 1 000,50 », « 1000.50 » ou « 1.000,50 » (avec ou sans « € »)"
_GROUPED = r"[0-9]{1,3}(?:[ ][0-9]{3})+"  # 1 000 000 (spaces already normalised)


def _shown(value: object, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text(
    value: object, field: str, *, required: bool = True, max_len: int = MAX_TITLE
) -> str | None:
    """Stored as typed (trimmed): never escaped here, always escaped when shown.
    Control characters (other than line breaks and tabs) are refused, and the length
    is checked before trimming, so 10 000 invisible characters are not an empty field."""
    if isinstance(value, str):
        if len(value) > max_len:
            raise ValidationError(
                f"Le champ « {field} » dépasse {fmt.number(max_len)} caractères "
                f"(reçu : {fmt.number(len(value))})."
            )
        if _CONTROL.search(value):
            raise ValidationError(
                f"Le champ « {field} » contient un caractère de contrôle (invisible) : retirez-le."
            )
        if _BIDI.search(value):
            raise ValidationError(
                f"Le champ « {field} » contient un caractère invisible de sens d'écriture "
                "(contrôle bidirectionnel) : retirez-le."
            )
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(f"Le champ « {field} » est obligatoire.")
        return None
    if not isinstance(value, str):
        raise ValidationError(f"Le champ « {field} » doit être un texte.")
    return value.strip()


def amount(value: object, field: str = "Montant", *, positive: bool = False) -> Decimal:
    """Euros to the cent. Reads ``1 000,50``, ``1000.50``, ``1 000,50 €``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(f"Le champ « {field} » est obligatoire.")
    if isinstance(value, bool):
        raise ValidationError(f"Le champ « {field} » doit être un nombre (reçu : {value}).")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        if len(value) > MAX_AMOUNT_TEXT:
            raise ValidationError(
                f"Le champ « {field} » doit être un nombre (reçu : « {_shown(value)} »)."
            )
        number = _parse_french_number(value, field)
    else:
        raise ValidationError(f"Le champ « {field} » doit être un nombre (reçu : {_shown(value)}).")
    if not number.is_finite():
        raise ValidationError(f"Le champ « {field} » doit être un nombre (reçu : {_shown(value)}).")
    if number < 0 or (positive and number == 0):
        word = "strictement positif" if positive else "positif"
        raise ValidationError(f"Le montant doit être {word} (reçu : {fmt.money(number)}).")
    if number > MAX_AMOUNT:
        raise ValidationError(
            f"Le montant dépasse le maximum admis ({fmt.money(MAX_AMOUNT)}) : reçu {fmt.money(number)}."
        )
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(f"Le montant s'exprime au centime près (reçu : {_shown(value)}).")
    return number.quantize(Decimal("0.01"))


MAX_MEASURE = Decimal("99999999999999")


def measure(value: object, field: str) -> Decimal:
    """An indicator's value: a number with up to four decimals, negative allowed
    (an evolution). ``0,125`` is a decimal; ``1,000`` stays ambiguous and refused."""
    if isinstance(value, str) and re.fullmatch(r"\s*-?0[,.][0-9]+\s*", value):
        value = value.replace(",", ".").strip()
        number = Decimal(value)
    elif isinstance(value, float) and value != value:
        raise ValidationError(f"Le champ « {field} » est obligatoire.")
    elif isinstance(value, str):
        if value.strip() == "" or len(value) > MAX_AMOUNT_TEXT:
            if not value.strip():
                raise ValidationError(f"Le champ « {field} » est obligatoire.")
            raise ValidationError(
                f"Le champ « {field} » doit être un nombre (reçu : « {_shown(value)} »)."
            )
        number = _parse_french_number(value.replace("%", "").strip() or value, field)
    else:
        if value is None:
            raise ValidationError(f"Le champ « {field} » est obligatoire.")
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValidationError(f"Le champ « {field} » doit être un nombre (reçu : {value}).")
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or abs(number) > MAX_MEASURE:
        raise ValidationError(f"Le champ « {field} » est hors limites (reçu : {_shown(value)}).")
    if number != number.quantize(Decimal("0.0001")):
        raise ValidationError(
            f"Le champ « {field} » a plus de quatre décimales (reçu : {_shown(value)})."
        )
    return number.quantize(Decimal("0.0001"))


def _parse_french_number(raw: str, field: str) -> Decimal:
    """Decimal comma or point; thousands as spaces, or as points before a decimal comma.
    ``1.000`` or ``1,000`` could be a thousand or one: refused rather than guessed."""
    text = _SPACES.sub(" ", raw.strip())
    text = re.sub(r"\s*(€|eur|euros?)$", "", text, flags=re.IGNORECASE).strip()
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:].strip()
    if re.fullmatch(r"[0-9]{1,3}[,.][0-9]{3}", text):
        raise ValidationError(
            f"Le champ « {field} » est ambigu (reçu : « {_shown(raw)} ») : mille ou un ? "
            f"Écrivez par exemple {AMOUNT_FORMS}."
        )
    digits = None
    if re.fullmatch(r"[0-9]+|" + _GROUPED, text):
        digits = text.replace(" ", "")
    elif match := re.fullmatch(r"([0-9]+|" + _GROUPED + r")[,.]([0-9]+)", text):
        digits = match.group(1).replace(" ", "") + "." + match.group(2)
    elif match := re.fullmatch(r"([0-9]{1,3}(?:\.[0-9]{3})+),([0-9]+)", text):
        digits = match.group(1).replace(".", "") + "." + match.group(2)
    elif re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3}){2,}", text):
        digits = text.replace(".", "")
    if digits is None:
        raise ValidationError(
            f"Le champ « {field} » doit être un nombre (reçu : « {_shown(raw)} ») ; "
            f"formes admises : {AMOUNT_FORMS}."
        )
    return Decimal(sign + digits)


def date(value: object, field: str, *, required: bool = True) -> dt.date | None:
    """A date, from a date, ``2019-03-21`` or ``21/03/2019``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(f"Le champ « {field} » est obligatoire.")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        result = value
    elif isinstance(value, str):
        raw = value.strip()
        result = None
        # ASCII digits only: strptime also reads other scripts' digits
        iso = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", raw)
        french = re.fullmatch(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})", raw)
        parts = (
            (iso.group(1), iso.group(2), iso.group(3))
            if iso
            else (french.group(3), french.group(2), french.group(1))
            if french
            else None
        )
        if parts:
            try:
                result = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                result = None
        if result is None:
            raise ValidationError(
                f"Le champ « {field} » n'est pas une date valide (reçu : « {_shown(raw)} » ; "
                "attendu : JJ/MM/AAAA)."
            )
    else:
        raise ValidationError(f"Le champ « {field} » n'est pas une date (reçu : {_shown(value)}).")
    if not fmt.EARLIEST_DATE <= result <= fmt.LATEST_DATE:
        raise ValidationError(
            f"Le champ « {field} » est hors de la période admise (reçu : {fmt.date_fr(result)})."
        )
    return result


def date_order(
    start: dt.date | None, end: dt.date | None, start_field: str, end_field: str
) -> None:
    if start and end and end < start:
        raise ValidationError(
            f"La date « {end_field} » ({fmt.date_fr(end)}) précède la date « {start_field} » "
            f"({fmt.date_fr(start)})."
        )


def choice(value: object, allowed: dict[str, str], field: str) -> str:
    """One of the coded values; the message lists them in French."""
    if isinstance(value, str) and value in allowed:
        return value
    reverse = {label: code for code, label in allowed.items()}
    if isinstance(value, str) and value in reverse:
        return reverse[value]
    listed = ", ".join(f"« {label} »" for label in allowed.values())
    if value is None or value == "":
        raise ValidationError(f"« {field} » est à choisir parmi {listed}.")
    raise ValidationError(
        f"Valeur inconnue pour « {field} » (reçu : « {_shown(value)} ») ; attendu : {listed}."
    )


def optional_choice(value: object, allowed: dict[str, str], field: str) -> str | None:
    """A coded value that may stay « non renseigné » (None or empty)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return choice(value, allowed, field)


def yes_no(value: object, field: str) -> bool | None:
    """Oui, non, or not said (None): never a guess from some other value."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if not word or word == "non renseigné":
            return None
        if word in ("oui", "non"):
            return word == "oui"
    raise ValidationError(
        f"« {field} » vaut « oui », « non » ou reste non renseigné (reçu : « {_shown(value)} »)."
    )


def integer(
    value: object,
    field: str,
    *,
    low: int | None = None,
    high: int | None = None,
    required: bool = True,
) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(f"Le champ « {field} » est obligatoire.")
        return None
    if isinstance(value, bool):
        raise ValidationError(f"Le champ « {field} » doit être un nombre entier (reçu : {value}).")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]{1,12}\s*", value):
        value = int(value)
    if not isinstance(value, int):
        raise ValidationError(
            f"Le champ « {field} » doit être un nombre entier (reçu : {_shown(value)})."
        )
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (
            f"entre {low} et {high}"
            if low is not None and high is not None
            else (f"au moins {low}" if low is not None else f"au plus {high}")
        )
        raise ValidationError(f"Le champ « {field} » doit être {bounds} (reçu : {value}).")
    return value


def identifier(value: object, field: str) -> int:
    """An id: a whole number from 1; anything else names nothing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(f"Le champ « {field} » est obligatoire.")
    try:
        return integer(value, field, low=1, high=2**31 - 1)
    except ValidationError as error:
        raise ValidationError(
            f"« {field} » : identifiant invalide (reçu : {_shown(value)})."
        ) from error


def siret_valid(value: str) -> bool:
    """14 digits whose Luhn checksum holds (La Poste's establishments, SIREN 356000000,
    use the sum of the digits modulo 5 instead)."""
    if not re.fullmatch(r"[0-9]{14}", value or ""):
        return False
    if value.startswith("356000000"):
        return sum(int(d) for d in value) % 5 == 0
    total = 0
    for index, digit in enumerate(int(d) for d in reversed(value)):
        if index % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0
