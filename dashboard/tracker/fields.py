"""Field specifications shared by the create and update services."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from dashboard.tracker import validate
from dashboard.tracker.errors import ValidationError

Spec = dict[str, Callable[[object], object]]


def weight(value: object) -> Decimal:
    number = validate.amount(value, "Pondération", positive=True)
    if number > 1000:
        raise ValidationError(f"La pondération doit être au plus 1 000 (reçu : {number}).")
    return number


WORK_ITEM: Spec = {
    "title": lambda v: validate.text(v, "Intitulé"),
    "starts_on": lambda v: validate.date(v, "Début", required=False),
    "ends_on": lambda v: validate.date(v, "Fin", required=False),
    "weight": weight,
    "lead": lambda v: validate.text(v, "Responsable", required=False, max_len=200),
    "territory": lambda v: validate.text(v, "Territoire", required=False, max_len=200),
}


def clean(raw: dict, spec: Spec) -> dict:
    """Validate each given field with its spec; an unknown field is refused."""
    unknown = sorted(set(raw) - set(spec))
    if unknown:
        raise ValidationError(f"Champ(s) inconnu(s) : {', '.join(unknown)}.")
    return {name: spec[name](value) for name, value in raw.items()}


def check_period(values: dict) -> None:
    validate.date_order(values.get("starts_on"), values.get("ends_on"), "Début", "Fin")
