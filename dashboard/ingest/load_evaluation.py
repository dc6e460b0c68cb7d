"""The evaluation's sections of a ``cdv load`` file: territories, questions (with
their criteria and état de la réponse), indicators, targets, values and deliverables.
Each record is matched by its natural key (a territory by its kind and code, a
question by its programme and rank, an indicator by its programme and code, a value
by its indicator, period and territory, a deliverable by its programme and title):
missing ones are created, changed ones corrected with the file named as the reason,
identical ones left alone."""

from __future__ import annotations

import re
from decimal import Decimal

from dashboard.tracker import deliverables, evaluation, fmt, periods, territories, validate
from dashboard.tracker.errors import ValidationError


def number(value: object, field: str) -> Decimal:
    """A value written in a file: a TOML or JSON number, a string with a decimal point
    (« "12.5" », as the export writes it), or a French form (« "12,5" »)."""
    if isinstance(value, bool):
        raise ValidationError(f"« {field} » : un nombre est attendu (reçu : {value}).")
    if isinstance(value, int | float):
        return validate.measure(Decimal(str(value)), field)
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+\.[0-9]+", value.strip()):
        return validate.measure(Decimal(value.strip()), field)
    return validate.measure(value, field)


SECTIONS = ("territories", "questions", "indicators", "targets", "values", "deliverables",
            "answers")  # fmt: skip
INDICATOR_FIELDS = ("name", "unit", "unit_kind", "direction", "periodicity", "baseline_value",
                    "baseline_on", "baseline_source", "description")  # fmt: skip


def territory_id(loader, code: object) -> int | None:
    """A territory named by its code (``"QN01301M"``) or ``{ kind, code }``, or one an
    act named without its code by ``{ kind, name }``; none: the whole programme. A code
    two kinds share is refused as ambiguous."""
    if code in (None, ""):
        return None
    if isinstance(code, dict) and code.get("code") in (None, "") and code.get("name"):
        return _codeless_id(loader, code["kind"], code["name"])
    kind, value = (code.get("kind"), code.get("code")) if isinstance(code, dict) else (None, code)
    rows = loader._rows(
        "select id from territory where code = $c and ($k is null or kind = $k)",
        {"c": str(value), "k": kind},
    )
    if len(rows) != 1:
        raise ValidationError(
            f"territoire « {value} » introuvable." if not rows else
            f"« {value} » est le code de {len(rows)} territoires : précisez {{ kind, code }}."
        )  # fmt: skip
    return rows[0][0]


def _codeless_id(loader, kind: object, name: object, *, required: bool = True) -> int | None:
    kind = validate.choice(kind, fmt.TERRITORY_KIND_LABELS, "Type de territoire")
    with loader.db.reader() as cur:
        found = territories.find_codeless(cur, kind, name)
    if found is None and required:
        raise ValidationError(f"territoire « {name} » sans code introuvable.")
    return found and found[0]


def _territories(loader, fact: dict) -> None:
    kind = fact["kind"]
    if fact.get("code") in (None, ""):  # named by the act without its official code
        found_id = _codeless_id(loader, kind, fact["name"], required=False)
        row = None if found_id is None else (found_id,)
    else:
        row = loader.one("select id from territory where kind = $k and code = $c",
                         {"k": kind, "c": fact["code"]})  # fmt: skip
    within = [territory_id(loader, {"kind": territories.PARENT_KIND.get(kind), "code": c})
              for c in fact.get("within", [])]  # fmt: skip
    label = f"territoire « {fact['name']} »"
    if row is None:
        found = territories.create_territory(
            loader.db, loader.actor, kind=kind, code=fact.get("code"), name=fact["name"],
            generation=fact.get("generation"), within=within, source=loader.source(fact),
        )  # fmt: skip
        loader.created(label)
    else:
        found = row[0]
        loader.update(label, "territory", found, {"name": fact["name"]},
                      territories.update_territory)  # fmt: skip
        for parent in within:
            if not loader.one("select 1 from territory_link where from_id = $f and to_id = $t "
                              "and kind = 'within' and cancelled_at is null",
                              {"f": found, "t": parent}):  # fmt: skip
                territories.link_territories(loader.db, loader.actor, from_id=found, to_id=parent)
                loader.created(f"lien de « {fact['name']} »")
    if fact.get("successor"):
        named = fact["successor"]
        successor = territory_id(loader, named if isinstance(named, dict) else
                                 {"kind": "qpv", "code": named})  # fmt: skip
        if not loader.one("select 1 from territory_link where from_id = $f and to_id = $t "
                          "and kind = 'succeeded_by' and cancelled_at is null",
                          {"f": found, "t": successor}):  # fmt: skip
            territories.link_territories(loader.db, loader.actor, from_id=found, to_id=successor,
                                         kind="succeeded_by")  # fmt: skip
            loader.created(f"successeur de « {fact['name']} »")
    loader.keys[("territory", fact.get("code") or f"{kind}:{fact['name']}")] = found


def _find_question(loader, programme: int, position: int) -> int | None:
    row = loader.one("select id from eval_question where programme_id = $p and position = $n "
                     "and archived_on is null", {"p": programme, "n": position})  # fmt: skip
    return row and row[0]


def _question(loader, value: dict) -> int:
    found = _find_question(loader, loader.ref("programme", value["programme"]), value["position"])
    if found is None:
        raise ValidationError(f"question n° {value['position']} introuvable.")
    return found


def _questions(loader, fact: dict) -> None:
    programme = loader.ref("programme", fact["programme"])
    question = _find_question(loader, programme, fact["position"])
    label = f"question n° {fact['position']}"
    if question is None:
        question = evaluation.create_question(
            loader.db, loader.actor, programme_id=programme, text=fact["text"],
            position=fact["position"], criteria=fact.get("criteria", []),
            source=loader.source(fact),
        )  # fmt: skip
        loader.created(f"{label} « {fmt.shorten(fact['text'], 60)} »")
    else:
        loader.update(label, "eval_question", question, {"text": fact["text"]},
                      evaluation.update_question)  # fmt: skip
        known = loader._rows("select text from eval_criterion where question_id = $q",
                             {"q": question})  # fmt: skip
        for text in fact.get("criteria", []):
            if (text,) not in known:
                evaluation.add_criterion(loader.db, loader.actor, question_id=question, text=text)
                loader.created(f"critère « {fmt.shorten(text, 60)} »")
    loader.keys[("eval_question", fact.get("key", str(fact["position"])))] = question


def _indicator(loader, value: dict) -> int:
    programme = loader.ref("programme", value["programme"])
    row = loader.one("select id from indicator where programme_id = $p and code = $c",
                     {"p": programme, "c": value["code"]})  # fmt: skip
    if row is None:
        raise ValidationError(f"indicateur « {value['code']} » introuvable.")
    return row[0]


def _criterion(loader, fact: dict) -> int | None:
    ref = fact.get("criterion")
    if ref is None:
        return None
    question = _question(loader, {"programme": fact["programme"], "position": ref["question"]})
    row = loader.one("select id from eval_criterion where question_id = $q and position = $n",
                     {"q": question, "n": ref["position"]})  # fmt: skip
    if row is None:
        raise ValidationError(f"critère {ref} introuvable.")
    return row[0]


def _indicators(loader, fact: dict) -> None:
    programme = loader.ref("programme", fact["programme"])
    wanted = {k: fact[k] for k in INDICATOR_FIELDS if k in fact}
    if wanted.get("baseline_value") is not None:
        wanted["baseline_value"] = number(wanted["baseline_value"], "Valeur de référence")
    wanted["criterion_id"] = _criterion(loader, fact)
    row = loader.one("select id from indicator where programme_id = $p and code = $c",
                     {"p": programme, "c": fact["code"]})  # fmt: skip
    label = f"indicateur « {fact['code']} »"
    if row is None:
        evaluation.create_indicator(loader.db, loader.actor, programme_id=programme,
                                    code=fact["code"], source=loader.source(fact), **wanted)  # fmt: skip
        loader.created(label)
    else:
        loader.update(label, "indicator", row[0], wanted, evaluation.update_indicator)


def _where(loader, fact: dict) -> tuple[int, object, int | None]:
    """(indicator, start of the period, territory) a target or a value is for."""
    indicator = _indicator(loader, fact["indicator"])
    periodicity = loader.one("select periodicity from indicator where id = $i", {"i": indicator})[0]
    return indicator, periods.parse(str(fact["period"]), periodicity), territory_id(
        loader, fact.get("territory"))  # fmt: skip


def _targets(loader, fact: dict) -> None:
    indicator, start, place = _where(loader, fact)
    value = number(fact["value"], "Cible")
    row = loader.one("select value from indicator_target where indicator_id = $i and "
                     "period_start = $p and territory_id is not distinct from $t and "
                     "cancelled_at is null", {"i": indicator, "p": start, "t": place})  # fmt: skip
    if row is not None and row[0] == value:
        loader.report.unchanged += 1
        return
    evaluation.set_target(loader.db, loader.actor, indicator_id=indicator, period=start,
                          value=value, territory_id=place,
                          source_document=fact.get("source_document"))  # fmt: skip
    what = f"cible {fact['indicator']['code']} {fact['period']}"
    (loader.created if row is None else loader.report.changed.append)(what)


def _values(loader, fact: dict) -> None:
    indicator, start, place = _where(loader, fact)
    row = loader.one("select id from indicator_value where indicator_id = $i and "
                     "period_start = $p and territory_id is not distinct from $t and "
                     "cancelled_at is null", {"i": indicator, "p": start, "t": place})  # fmt: skip
    what = f"valeur {fact['indicator']['code']} {fact['period']} {fact.get('territory') or ''}"
    fields = {"value": number(fact["value"], "Valeur"), "source_document": fact.get("source_document"),
              "source_page": fact.get("source_page"), "comment": fact.get("comment")}  # fmt: skip
    if row is None:
        evaluation.record_values(loader.db, loader.actor, [
            {"indicator_id": indicator, "period": start, "territory_id": place, **fields}])  # fmt: skip
        loader.created(what.strip())
        return
    changes = loader.compare("indicator_value", row[0], fields)
    if not changes:
        loader.report.unchanged += 1
        return
    version = loader.one("select version from indicator_value where id = $i", {"i": row[0]})[0]
    evaluation.correct_value(loader.db, loader.actor, row[0], expected_version=version,
                             reason=loader.reason, **changes)  # fmt: skip
    loader.report.changed.append(what.strip())


def _deliverables(loader, fact: dict) -> None:
    programme = loader.ref("programme", fact["programme"])
    owner = {}
    for kind in ("phase", "orientation", "action"):
        if kind in fact:
            ref = fact[kind] if isinstance(fact[kind], dict) else (
                {"programme": fact["programme"], "number": fact[kind]} if kind == "phase"
                else {"programme": fact["programme"], "title": fact[kind]})  # fmt: skip
            owner[f"{kind}_id"] = loader.ref(kind, ref)
    fields = {"kind": fact["kind"], "planned_on": fact.get("planned_on"),
              "delivered_on": fact.get("delivered_on"), "description": fact.get("description"),
              **owner}  # fmt: skip
    places = [territory_id(loader, c) for c in fact.get("territories", [])]
    row = loader.one("select id from deliverable where programme_id = $p and title = $t",
                     {"p": programme, "t": fact["title"]})  # fmt: skip
    label = f"livrable « {fmt.shorten(fact['title'], 60)} »"
    if row is None:
        deliverables.create_deliverable(loader.db, loader.actor, programme_id=programme,
                                        title=fact["title"], territory_ids=places,
                                        source=loader.source(fact), **fields)  # fmt: skip
        loader.created(label)
    else:
        loader.update(label, "deliverable", row[0], fields, deliverables.update_deliverable)


def _answers(loader, fact: dict) -> None:
    """A question's evidence (indicators by code, deliverables by title) and its état de
    la réponse; evidence already linked and an unchanged state are left alone."""
    question = _question(loader, {"programme": fact["programme"], "position": fact["question"]})
    programme = loader.ref("programme", fact["programme"])
    for ref in fact.get("evidence", []):
        kind, (table, column) = ("indicator", ("indicator", "code")) if "indicator" in ref else (
            "deliverable", ("deliverable", "title"))  # fmt: skip
        # table and column come from the two fixed pairs just above
        row = loader.one(f"select id from {table} where programme_id = $p and {column} = $v",
                         {"p": programme, "v": ref[kind]})  # fmt: skip
        if row is None:
            raise ValidationError(f"élément de preuve {ref} introuvable.")
        if loader.one("select 1 from question_evidence where question_id = $q and "
                      "evidence_kind = $k and evidence_id = $e and cancelled_at is null",
                      {"q": question, "k": kind, "e": row[0]}):  # fmt: skip
            loader.report.unchanged += 1
            continue
        evaluation.add_evidence(loader.db, loader.actor, question_id=question, evidence_kind=kind,
                                evidence_id=row[0], note=ref.get("note"))  # fmt: skip
        loader.created(f"élément de preuve de la question n° {fact['question']}")
    if "answer_state" in fact:
        current = loader.one("select arg_max(answer_state, id), arg_max(answer, id) from "
                             "question_state_event where question_id = $q", {"q": question})  # fmt: skip
        if ((current[0] or "not_started"), current[1]) == (
            fact["answer_state"],
            fact.get("answer"),
        ):
            loader.report.unchanged += 1
        else:
            evaluation.set_answer_state(loader.db, loader.actor, question,
                                        answer_state=fact["answer_state"],
                                        answer=fact.get("answer"))  # fmt: skip
            loader.report.changed.append(f"état de la réponse à la question n° {fact['question']}")


HANDLERS = {
    "answers": _answers,
    "territories": _territories,
    "questions": _questions,
    "indicators": _indicators,
    "targets": _targets,
    "values": _values,
    "deliverables": _deliverables,
}
