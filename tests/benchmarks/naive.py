"""The same aggregates computed the naive way: load the tables into pandas, then
join and aggregate there. Only for the benchmark's comparison, like for like: each
keeps the same scope as its SQL read (one programme when it is given one, as soon as
the tables are loaded), the same date and the same filters."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd


def load(con: duckdb.DuckDBPyConnection, *tables: str) -> list[pd.DataFrame]:
    return [con.table(t).df() for t in tables]


def _latest_status(events: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    events = events[events["occurred_on"] <= pd.Timestamp(as_of)].sort_values("id")
    latest = events.groupby(["item_kind", "item_id"], as_index=False).agg(
        status=("to_status", "last"),
        progress=("progress", "last"),
        event_id=("id", "last"),
        status_on=("occurred_on", "last"),
        status_by=("actor", "last"),
    )
    effective = latest["progress"].astype("float")
    effective = effective.where(~latest["status"].isin(["delivered", "validated"]), 100.0)
    effective = effective.where(latest["status"] != "planned", latest["progress"].fillna(0))
    latest["effective_progress"] = effective.where(latest["status"] != "cancelled", np.nan)
    return latest


def _programme_ids(programme: pd.DataFrame, programme_code: str | None) -> pd.Series:
    """The ids of the programmes in scope: that one, or all."""
    if programme_code is None:
        return programme["id"]
    return programme.loc[programme["code"] == programme_code, "id"]


def _in_scope(frame: pd.DataFrame, ids: pd.Series, column: str = "programme_id") -> pd.DataFrame:
    return frame[frame[column].isin(ids)]


def _items(phase, orientation, action) -> pd.DataFrame:
    ph = phase.assign(item_kind="phase", item_id=phase["id"], phase_id=phase["id"])
    orr = orientation.assign(item_kind="orientation", item_id=orientation["id"])
    act = action.assign(item_kind="action", item_id=action["id"])
    cols = [
        "item_kind",
        "item_id",
        "programme_id",
        "phase_id",
        "title",
        "weight",
        "lead",
        "territory",
    ]
    return pd.concat([ph[cols], orr[cols], act[cols]], ignore_index=True)


def programme_overview(con, as_of, programme_code=None, **_):
    programme, phase, orientation, action, events, budget, payment = load(
        con, "programme", "phase", "orientation", "action", "status_event", "budget_line", "payment"
    )
    ids = _programme_ids(programme, programme_code)
    programme, budget = _in_scope(programme, ids, "id"), _in_scope(budget, ids)
    payment = payment[payment["budget_line_id"].isin(budget["id"])]
    items = _items(phase, orientation, action)
    items = _in_scope(items, ids)
    events = events.merge(items[["item_kind", "item_id"]], on=["item_kind", "item_id"])
    items = items.merge(_latest_status(events, as_of), on=["item_kind", "item_id"], how="left")
    items["weight"] = items["weight"].astype(float)
    items["wp"] = items["weight"] * items["effective_progress"]
    items["wk"] = items["weight"].where(items["effective_progress"].notna(), 0)
    stats = items.groupby("programme_id").agg(
        items_total=("item_id", "size"),
        progress_known=("effective_progress", "count"),
        wp=("wp", "sum"),
        wk=("wk", "sum"),
    )
    counts = items.pivot_table(
        index="programme_id", columns="status", values="item_id", aggfunc="count", fill_value=0
    )
    money = budget.groupby("programme_id")["amount"].sum()
    paid = payment[payment["occurred_on"] <= pd.Timestamp(as_of)].merge(
        budget[["id", "programme_id"]].rename(columns={"id": "budget_line_id"}), on="budget_line_id"
    )
    spending = paid.pivot_table(
        index="programme_id", columns="stage", values="amount", aggfunc="sum"
    )
    return programme.set_index("id").join([stats, counts, money.rename("allocated"), spending])


def work_items(con, as_of, programme_code, **_):
    programme, phase, orientation, action, events = load(
        con, "programme", "phase", "orientation", "action", "status_event"
    )
    items = _items(phase, orientation, action).merge(
        programme[["id", "code"]].rename(columns={"id": "programme_id"}), on="programme_id"
    )
    if programme_code is not None:
        items = items[items["code"] == programme_code]
    return items.merge(_latest_status(events, as_of), on=["item_kind", "item_id"], how="left")


def _spent(payment, as_of=None):
    if as_of is not None:
        payment = payment[payment["occurred_on"] <= pd.Timestamp(as_of)]
    return payment.pivot_table(
        index="budget_line_id", columns="stage", values="amount", aggfunc="sum"
    ).reset_index()


def budget_by_year(con, as_of, programme_code=None, **_):
    programme, budget, payment = load(con, "programme", "budget_line", "payment")
    ids = _programme_ids(programme, programme_code)
    budget = _in_scope(budget, ids)
    payment = payment[payment["budget_line_id"].isin(budget["id"])]
    lines = budget.merge(
        _spent(payment, as_of), left_on="id", right_on="budget_line_id", how="left"
    )
    lines = lines.merge(
        programme[["id", "code"]].rename(columns={"id": "pid"}),
        left_on="programme_id",
        right_on="pid",
    )
    return lines.groupby(["fiscal_year", "code", "tax_basis"], as_index=False).agg(
        allocated=("amount", "sum"), budget_lines=("id", "size")
    )


def budget_lines(con, as_of=None, programme_code=None, **_):
    programme, budget, payment, act, organisation = load(
        con, "programme", "budget_line", "payment", "legal_act", "organisation"
    )
    budget = _in_scope(budget, _programme_ids(programme, programme_code))
    payment = payment[payment["budget_line_id"].isin(budget["id"])]
    lines = budget.merge(
        _spent(payment, as_of), left_on="id", right_on="budget_line_id", how="left"
    )
    lines = lines.merge(
        programme[["id", "code"]].rename(columns={"id": "programme_id"}), on="programme_id"
    )
    lines = lines.merge(
        act[["id", "title"]].rename(columns={"id": "act_id", "title": "act_title"}),
        on="act_id",
        how="left",
    )
    return lines.merge(
        organisation[["id", "name"]].rename(columns={"id": "funder_id"}), on="funder_id", how="left"
    ).sort_values(["code", "fiscal_year", "id"])


def payments(con, programme_code, limit, **_):
    programme, budget, payment = load(con, "programme", "budget_line", "payment")
    rows = payment.merge(
        budget[["id", "programme_id", "fiscal_year", "tax_basis"]].rename(
            columns={"id": "budget_line_id"}
        ),
        on="budget_line_id",
    ).merge(programme[["id", "code"]].rename(columns={"id": "programme_id"}), on="programme_id")
    if programme_code is not None:
        rows = rows[rows["code"] == programme_code]
    rows = rows.sort_values(["occurred_on", "id"], ascending=False)
    return rows.head(limit) if limit else rows


def committees(con, as_of, programme_code=None, **_):
    programme, committee, meeting = load(con, "programme", "committee", "meeting")
    committee = _in_scope(committee, _programme_ids(programme, programme_code))
    meeting = meeting[meeting["committee_id"].isin(committee["id"])]
    meeting = meeting[meeting["held_on"] <= pd.Timestamp(as_of)]
    stats = meeting.groupby("committee_id").agg(meetings=("id", "size"), last=("held_on", "max"))
    return committee.merge(stats, left_on="id", right_index=True, how="left").merge(
        programme[["id", "code"]].rename(columns={"id": "programme_id"}), on="programme_id"
    )


def meetings(con, programme_code=None, since=None, until=None, **_):
    programme, committee, meeting, decision = load(
        con, "programme", "committee", "meeting", "decision"
    )
    committee = _in_scope(committee, _programme_ids(programme, programme_code))
    meeting = meeting[meeting["committee_id"].isin(committee["id"])]
    if since is not None:
        meeting = meeting[meeting["held_on"] >= pd.Timestamp(since)]
    if until is not None:
        meeting = meeting[meeting["held_on"] <= pd.Timestamp(until)]
    counts = decision.groupby("meeting_id").size().rename("decisions")
    rows = meeting.merge(counts, left_on="id", right_index=True, how="left").merge(
        committee[["id", "programme_id", "kind", "name"]].rename(columns={"id": "committee_id"}),
        on="committee_id",
    )
    return rows.sort_values(["held_on", "id"], ascending=False)


def decisions(con, programme_code, **_):
    programme, committee, meeting, decision, decision_item, phase, orientation, action = load(
        con,
        "programme",
        "committee",
        "meeting",
        "decision",
        "decision_item",
        "phase",
        "orientation",
        "action",
    )
    rows = (
        decision.merge(
            meeting[["id", "committee_id", "held_on"]].rename(columns={"id": "meeting_id"}),
            on="meeting_id",
        )
        .merge(
            committee[["id", "programme_id"]].rename(columns={"id": "committee_id"}),
            on="committee_id",
        )
        .merge(programme[["id", "code"]].rename(columns={"id": "programme_id"}), on="programme_id")
    )
    if programme_code is not None:
        rows = rows[rows["code"] == programme_code]
    items = _items(phase, orientation, action)[["item_kind", "item_id", "title"]]
    concerned = decision_item.merge(items, on=["item_kind", "item_id"], how="left")
    grouped = concerned.groupby("decision_id")["title"].apply(list).rename("items")
    return rows.merge(grouped, left_on="id", right_index=True, how="left")


def deadlines(con, programme_code=None, **_):
    programme, act, clause = load(con, "programme", "legal_act", "clause")
    act = _in_scope(act, _programme_ids(programme, programme_code))
    clause = clause[clause["act_id"].isin(act["id"])]
    terms = act[act["ends_on"].notna()].assign(kind="term", due_on=lambda d: d["ends_on"])
    merged = clause.merge(act[["id", "ends_on"]].rename(columns={"id": "act_id"}), on="act_id")
    notice = merged[(merged["kind"] == "termination_notice") & merged["ends_on"].notna()].copy()
    notice["due_on"] = [
        e - pd.DateOffset(months=int(m or 0)) - pd.Timedelta(days=int(d or 0))
        for e, m, d in zip(
            notice["ends_on"], notice["months"].fillna(0), notice["days"].fillna(0), strict=True
        )
    ]
    extension = merged[merged["kind"] == "extension_by_amendment"].assign(
        due_on=lambda d: d["ends_on"]
    )
    settle = merged[merged["kind"] == "amicable_settlement"].assign(due_on=pd.NaT)
    return pd.concat(
        [
            terms[["due_on", "kind"]],
            notice[["due_on", "kind"]],
            extension[["due_on", "kind"]],
            settle[["due_on", "kind"]],
        ]
    ).sort_values("due_on")


def completeness(con, programme_code=None, **_):
    programme, act, budget, payment, phase, orientation, action, events = load(
        con, "programme", "legal_act", "budget_line", "payment", "phase", "orientation", "action",
        "status_event",
    )  # fmt: skip
    ids = _programme_ids(programme, programme_code)
    act, budget = _in_scope(act, ids), _in_scope(budget, ids)
    gaps = [
        act[act["signed_on"].isna() & act["concluded_on"].isna()].assign(
            code="act_signature_unknown"
        ),
        act[act["ends_on"].isna()].assign(code="act_term_unknown"),
        act[act["deliberation_number"].isna() & act["deliberation_date"].notna()].assign(
            code="delib"
        ),
        budget[budget["tax_basis"] == "unspecified"].assign(code="tax_basis_unspecified"),
        budget[~budget["id"].isin(payment["budget_line_id"])].assign(code="no_payment"),
    ]
    items = _in_scope(_items(phase, orientation, action), ids)
    known = events[["item_kind", "item_id"]].drop_duplicates().assign(known=True)
    unknown = items.merge(known, on=["item_kind", "item_id"], how="left")
    gaps.append(
        unknown[unknown["known"].isna()]
        .groupby(["programme_id", "item_kind"])
        .size()
        .reset_index()
        .assign(code="status_unknown")
    )
    return pd.concat(gaps, ignore_index=True)


def alert_items(con, as_of, programme_code, **_):
    programme, phase, orientation, action, events = load(
        con, "programme", "phase", "orientation", "action", "status_event"
    )
    items = _items(phase, orientation, action).merge(
        programme[["id", "code"]].rename(columns={"id": "programme_id"}), on="programme_id"
    )
    if programme_code is not None:
        items = items[items["code"] == programme_code]
    items = items.merge(_latest_status(events, as_of), on=["item_kind", "item_id"], how="left")
    return items[items["status"] == "blocked"]


def timeline_events(con, programme_code, **_):
    programme, act, phase, events, committee, meeting = load(
        con, "programme", "legal_act", "phase", "status_event", "committee", "meeting"
    )
    pid = programme.loc[programme["code"] == programme_code, "id"].iloc[0]
    acts = act[act["programme_id"] == pid]
    dates = pd.concat(
        [
            acts[["concluded_on"]].rename(columns={"concluded_on": "on"}),
            acts[["ends_on"]].rename(columns={"ends_on": "on"}),
        ]
    )
    phases = phase[phase["programme_id"] == pid]
    changes = events[(events["item_kind"] == "phase") & events["item_id"].isin(phases["id"])]
    meetings = meeting[
        meeting["committee_id"].isin(committee.loc[committee["programme_id"] == pid, "id"])
    ]
    return pd.concat(
        [
            dates,
            changes[["occurred_on"]].rename(columns={"occurred_on": "on"}),
            meetings[["held_on"]].rename(columns={"held_on": "on"}),
        ]
    ).sort_values("on")


def payment_flow(con, programme_code, **_):
    programme, budget, payment = load(con, "programme", "budget_line", "payment")
    rows = payment.merge(
        budget[["id", "programme_id", "tax_basis"]].rename(columns={"id": "budget_line_id"}),
        on="budget_line_id",
    ).merge(programme[["id", "code"]].rename(columns={"id": "programme_id"}), on="programme_id")
    if programme_code is not None:
        rows = rows[rows["code"] == programme_code]
    daily = rows.groupby(["tax_basis", "stage", "occurred_on"], as_index=False)["amount"].sum()
    daily["cumulative"] = daily.groupby(["tax_basis", "stage"])["amount"].cumsum()
    return daily


def simple_table(*tables):
    def run(con, **_):
        frames = load(con, *tables)
        return frames[0]

    return run


NAIVE = {
    "programme_overview": programme_overview,
    "work_items": work_items,
    "budget_by_year": budget_by_year,
    "budget_lines": budget_lines,
    "payments": payments,
    "committees": committees,
    "meetings": meetings,
    "decisions": decisions,
    "deadlines": deadlines,
    "completeness": completeness,
    "alert_items": alert_items,
    "timeline_events": timeline_events,
    "payment_flow": payment_flow,
}


def naive_for(name: str):
    """The pandas version of a named read; small reads are one table load and a sort."""
    if name in NAIVE:
        return NAIVE[name]
    tables = {
        "acts": ("legal_act", "act_party", "organisation", "person", "programme"),
        "clauses": ("clause", "legal_act", "programme"),
        "programmes": ("programme", "legal_act"),
        "programme_links": ("programme_link", "programme"),
        "programme_notes": ("programme_note", "programme"),
        "sources": (
            "source_ref",
            "organisation",
            "person",
            "programme",
            "legal_act",
            "clause",
            "phase",
            "orientation",
            "action",
            "committee",
            "meeting",
            "decision",
            "budget_line",
            "status_event",
            "programme_note",
            "programme_link",
        ),
        "status_history": ("status_event", "decision", "meeting", "source_ref"),
        "users": ("app_user",),
        "audit_trail": ("audit_log",),
        "data_as_of": ("audit_log", "status_event"),
        "login_throttle": ("login_attempt",),
        "session_of_token": ("user_session", "app_user"),
        "open_sessions": ("user_session", "app_user"),
        "action_versions": ("action", "programme"),
        "archived_items": ("phase", "orientation", "action", "programme"),
        "budget_line_records": ("budget_line", "programme", "legal_act", "organisation"),
        "changes_between": ("status_event", "decision", "meeting", "payment", "budget_line"),
        "committee_records": ("committee", "programme"),
        "corrections": ("audit_log",),
        "item_decisions": ("decision_item", "decision", "meeting"),
        "item_timeline": ("status_event", "audit_log"),
        "money_by_basis": ("budget_line", "payment", "programme", "legal_act"),
        "organisation_records": ("organisation", "person"),
        "programme_records": ("programme",),
        "demo_flag": ("app_meta",),
        "attachments": ("attachment", "stored_file"),
        "attachment_file": ("attachment", "stored_file"),
        "attached_records": ("attachment",),
        "stored_files": ("stored_file", "attachment"),
        "territories": ("territory", "territory_link"),
        "territory_scope": ("territory", "territory_link"),
        "territory_tags": ("territory_tag",),
        "indicators": ("indicator", "eval_criterion", "eval_question", "programme"),
        "indicator_status": ("indicator", "indicator_value", "indicator_target", "territory"),
        "indicator_series": ("indicator_value", "indicator_target", "territory", "territory_link"),
        "indicator_values": ("indicator_value", "territory"),
        "indicator_values_known": (
            "indicator_value",
            "indicator",
            "indicator_target",
            "territory",
            "programme",
        ),
        "indicator_targets": ("indicator_target", "indicator", "programme", "territory"),
        "eval_questions": (
            "eval_question",
            "eval_criterion",
            "question_state_event",
            "question_evidence",
            "programme",
        ),
        "question_evidence_records": (
            "question_evidence",
            "eval_question",
            "indicator",
            "deliverable",
            "programme",
        ),
        "deliverables": (
            "deliverable",
            "decision_item",
            "decision",
            "meeting",
            "territory_tag",
            "attachment",
            "programme",
        ),
    }.get(name) or _tables_read(name)
    return simple_table(*tables)


def _tables_read(name: str) -> tuple[str, ...]:
    """The tables a read's SQL names (a read added since the list above was written)."""
    from dashboard.tracker import catalogue
    from dashboard.tracker.queries import sql, words

    named = words(sql(name))
    return tuple(t for t in catalogue.TABLES if t in named) or ("programme",)
