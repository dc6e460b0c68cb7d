"""The sections ``judgements`` and ``recommendations`` of a ``cdv load`` file (the JSON
export writes them in the same shape, so that an export loads into another database).

A judgement is one version of a question's answer, named by its programme, question and
version number; its criteria name their evidence (an indicator by code with an optional
territory and period range, a deliverable by title, a decision by its committee, date
and text, a document with its page or article and excerpt) and, once validated, the
decision that validated it. A recommendation is named by its programme, question and
text; its states follow in order. What is already there is left alone (« déjà à jour »
counts it); a version already in the database with other content is refused, never
overwritten: versions are history."""

from __future__ import annotations

import datetime as dt

from dashboard.ingest.load_evaluation import territory_id
from dashboard.tracker import fmt, judgements, recommendations
from dashboard.tracker.citation import Source
from dashboard.tracker.errors import ValidationError
from dashboard.tracker.judgements import Evidence

SECTIONS = ("judgements", "recommendations")


def _question(loader, programme: int, position: object) -> int:
    row = loader.one("select id from eval_question where programme_id = $p and position = $n"
                     " and archived_on is null", {"p": programme, "n": position})  # fmt: skip
    if row is None:
        raise ValidationError(f"question n° {position} introuvable.")
    return row[0]


def decision_id(loader, programme: int, ref: dict) -> int:
    """A decision named ``{ committee, held_on, text }`` (committee: its name)."""
    if not isinstance(ref, dict) or not {"held_on", "text"} <= set(ref):
        raise ValidationError("une décision se désigne par { committee, held_on, text }.")
    rows = loader._rows(
        "select d.id from decision d join meeting m on m.id = d.meeting_id"
        " join committee c on c.id = m.committee_id where c.programme_id = $p"
        " and m.held_on = $h and d.text = $t and d.cancelled_at is null"
        " and ($c is null or c.name = $c)",
        {"p": programme, "h": _day(ref["held_on"]), "t": ref["text"], "c": ref.get("committee")},
    )  # fmt: skip
    if len(rows) != 1:
        raise ValidationError(
            f"décision du {ref['held_on']} « {fmt.shorten(ref['text'], 60)} » "
            + ("introuvable." if not rows else "ambiguë : précisez son comité.")
        )
    return rows[0][0]


def _day(value: object) -> object:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _evidence(loader, programme: int, ref: dict) -> Evidence:
    if "indicator" in ref:
        row = loader.one("select id from indicator where programme_id = $p and code = $c",
                         {"p": programme, "c": ref["indicator"]})  # fmt: skip
        if row is None:
            raise ValidationError(f"indicateur « {ref['indicator']} » introuvable.")
        return Evidence("indicator", indicator_id=row[0],
                        territory_id=territory_id(loader, ref.get("territory")),
                        period_from=ref.get("from"), period_to=ref.get("to"), note=ref.get("note"))  # fmt: skip
    if "deliverable" in ref:
        row = loader.one("select id from deliverable where programme_id = $p and title = $t",
                         {"p": programme, "t": ref["deliverable"]})  # fmt: skip
        if row is None:
            raise ValidationError(f"livrable « {ref['deliverable']} » introuvable.")
        return Evidence("deliverable", deliverable_id=row[0], note=ref.get("note"))
    if "decision" in ref:
        return Evidence("decision", decision_id=decision_id(loader, programme, ref["decision"]),
                        note=ref.get("note"))  # fmt: skip
    if "document" in ref:
        return Evidence("document", source=Source(ref["document"], ref.get("article"),
                                                  ref.get("excerpt")), note=ref.get("note"))  # fmt: skip
    raise ValidationError(f"preuve illisible : {ref}.")


def _judgements(loader, fact: dict) -> None:
    programme = loader.ref("programme", fact["programme"])
    question = _question(loader, programme, fact["question"])
    number = fact.get("version", 1)
    label = f"réponse à la question n° {fact['question']}, version {number}"
    existing = loader.one("select id, answer, validated_decision_id from judgement where"
                          " question_id = $q and version_no = $v and cancelled_at is null",
                          {"q": question, "v": number})  # fmt: skip
    if existing is not None:
        if existing[1] != fact["answer"]:
            raise ValidationError(f"{label} : déjà enregistrée avec une autre réponse ; une "
                                  "version ne se réécrit pas, ajoutez-en une nouvelle.")  # fmt: skip
        loader.report.unchanged += 1
        return
    draft = judgements.draft_judgement(
        loader.db, loader.actor, question_id=question, answer=fact["answer"],
        limits=fact.get("limits"), written_by=fact.get("written_by"),
        written_on=fact.get("written_on"),
    )  # fmt: skip
    for judged in fact.get("criteria", []):
        criterion = loader.one("select id from eval_criterion where question_id = $q and"
                               " position = $n", {"q": question, "n": judged["criterion"]})  # fmt: skip
        if criterion is None:
            raise ValidationError(f"critère n° {judged['criterion']} introuvable.")
        judgements.judge_criterion(
            loader.db, loader.actor, judgement_id=draft, criterion_id=criterion[0],
            verdict=judged["verdict"], reasoning=judged["reasoning"],
            strength=judged.get("strength"), strength_reason=judged.get("strength_reason"),
            evidence=[_evidence(loader, programme, e) for e in judged.get("evidence", [])],
        )  # fmt: skip
    if fact.get("validated_by"):
        version = loader.one("select version from judgement where id = $j", {"j": draft})[0]
        judgements.validate_judgement(loader.db, loader.actor, draft, expected_version=version,
                                      decision_id=decision_id(loader, programme, fact["validated_by"]))  # fmt: skip
    loader.created(label)


def _owner(loader, ref: dict) -> dict:
    if "organisation" in ref and "name" not in ref:
        return {"owner_organisation_id": loader.ref("organisation", ref["organisation"])}
    return {"owner_person_id": loader.ref("person", ref)}


def _recommendations(loader, fact: dict) -> None:
    programme = loader.ref("programme", fact["programme"])
    question = _question(loader, programme, fact["question"])
    label = f"recommandation « {fmt.shorten(fact['text'], 60)} »"
    if loader.one("select 1 from recommendation where question_id = $q and text = $t and"
                  " cancelled_at is null", {"q": question, "t": fact["text"]}):  # fmt: skip
        loader.report.unchanged += 1
        return
    judged = None
    if fact.get("criterion"):
        row = loader.one(
            "select cj.id from criterion_judgement cj join judgement j on j.id = cj.judgement_id"
            " join eval_criterion c on c.id = cj.criterion_id where j.question_id = $q and"
            " c.position = $n and cj.cancelled_at is null and j.cancelled_at is null"
            " order by j.version_no desc limit 1", {"q": question, "n": fact["criterion"]},
        )  # fmt: skip
        if row is None:
            raise ValidationError(f"critère n° {fact['criterion']} non jugé : la recommandation "
                                  "ne peut pas en découler.")  # fmt: skip
        judged = row[0]
    new = recommendations.create_recommendation(
        loader.db, loader.actor, programme_id=programme, question_id=question, text=fact["text"],
        due_on=fact["due_on"], proposed_on=fact.get("proposed_on"), criterion_judgement_id=judged,
        **_owner(loader, fact["owner"]),
    )  # fmt: skip
    for state in fact.get("states", []):
        recommendations.set_recommendation_status(
            loader.db, loader.actor, new, status=state["status"], occurred_on=state.get("on"),
            decision_id=decision_id(loader, programme, state["decision"]) if state.get("decision") else None,
            evidence=state.get("evidence"), reason=state.get("reason"),
        )  # fmt: skip
    loader.created(label)


HANDLERS = {"judgements": _judgements, "recommendations": _recommendations}
