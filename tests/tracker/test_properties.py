"""Property tests (hypothesis): for every write service, at least 200 generated bad
inputs, each refused with a French message, and the database identical afterwards
(a checksum of every row of every table)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.tracker.access import WRITE_SERVICES
from dashboard.tracker.backup import schema_tables
from dashboard.tracker.citation import Source
from dashboard.tracker.committees import DecisionInput
from dashboard.tracker.errors import ConflictError, ValidationError
from dashboard.tracker.files import Upload
from dashboard.tracker.fmt import EVIDENCE_KIND_LABELS as EVIDENCE_KINDS
from dashboard.tracker.judgements import Evidence
from dashboard.tracker.origins import Origin
from tests.conftest import ADMIN
from tests.tracker.service_calls import VALID_CALLS

EXAMPLES = 200


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch):
    """bcrypt at its lowest cost here: 200 generated passwords would otherwise spend
    25 s hashing. What is checked (refusals leave the database unchanged) is the same."""
    import bcrypt

    from dashboard.tracker import users

    monkeypatch.setattr(
        users,
        "hash_password",
        lambda p: bcrypt.hashpw(
            users.check_password(p).encode(), bcrypt.gensalt(rounds=4)
        ).decode(),
    )


# values that are wrong for any field of their type (ids, years, counts, delays,
# texts, amounts, dates, flags, decisions)
long_text = st.text(min_size=1, max_size=20).map(lambda s: (s * (10_001 // len(s) + 1))[:10_050])
nul_text = st.text(max_size=30).map(lambda s: "\x00" + s + " <script>alert(1)</script>")
bad_text = st.one_of(
    long_text, nul_text
)  # SQL or HTML fragments alone are valid text: stored as typed
bad_int = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=2**31, max_value=2**62),
    st.text(alphabet="abcdefghij é", min_size=1, max_size=10),
    st.floats(allow_nan=True).filter(lambda f: f != f or not float(f).is_integer()),
)
bad_date = st.one_of(
    st.dates(max_value=dt.date(1989, 12, 31)),
    st.dates(min_value=dt.date(2101, 1, 1)),
    st.sampled_from(["2024-13-45", "hier", "31/02/2023", "2024/01/01"]),
    st.integers(),
)
bad_bool = st.one_of(st.integers(), st.text(max_size=5), st.none())
bad_decisions = st.lists(st.one_of(st.integers(), st.text(max_size=5)), min_size=1, max_size=3)
bad_decision = st.one_of(
    st.text(max_size=10),
    st.builds(
        DecisionInput,
        kind=st.text(max_size=8).filter(
            lambda k: k not in ("validates", "adopts", "presents", "other")
        ),
        text=st.just("x"),
    ),
)
short_password = st.text(max_size=11)
bad_source = st.builds(
    Source,
    document=st.one_of(st.just(""), long_text),
    article=st.just("Article 1"),
    excerpt=st.one_of(st.just("   "), long_text),
)


bad_upload = st.builds(
    Upload,
    name=st.one_of(st.just(""), st.text(max_size=20)),
    data=st.one_of(
        st.just(b""),  # empty
        st.binary(max_size=200).filter(
            lambda b: not b.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8", b"PK"))
        ),
    ),
)
#: a CSV without the territories' columns, or not text at all
bad_csv = st.one_of(
    st.just(b""), st.binary(max_size=200).filter(lambda b: b"type" not in b.lower())
)


#: an origin that says two things, a stated date without its reason or in the future, an
#: act or decision that does not exist
bad_origin = st.one_of(
    st.text(max_size=5),
    st.builds(Origin, stated_on=st.dates(min_value=dt.date(2000, 1, 1)), reason=st.none()),
    st.builds(Origin, stated_on=st.dates(min_value=dt.date(2099, 1, 1)), reason=st.just("x")),
    st.builds(Origin, act_id=st.integers(min_value=10_000)),
    st.builds(Origin, decision_id=st.integers(min_value=10_000)),
    st.builds(Origin, act_id=st.just(1), decision_id=st.just(1)),
)


#: a piece of evidence of an unknown kind, naming nothing, or naming what does not exist
bad_evidence = st.one_of(
    st.text(max_size=5),
    st.builds(Evidence, kind=st.text(max_size=8).filter(lambda k: k not in EVIDENCE_KINDS)),
    st.builds(Evidence, kind=st.sampled_from(sorted(EVIDENCE_KINDS))),
    st.builds(Evidence, kind=st.just("indicator"), indicator_id=st.integers(min_value=10_000)),
    st.builds(Evidence, kind=st.just("decision"), decision_id=st.integers(min_value=10_000)),
)


def bad_value_for(name: str, valid: object) -> st.SearchStrategy:
    if name == "password":
        return st.one_of(short_password, long_text)
    if name in ("criteria", "axes"):  # texts: a bad one is too long or holds a control character
        return st.lists(bad_text, min_size=1, max_size=2)
    if name in ("territory_ids", "qpv_ids"):
        return st.lists(bad_int, min_size=1, max_size=3)
    if isinstance(valid, Upload):
        return bad_upload
    if isinstance(valid, bytes):
        return bad_csv
    if isinstance(valid, bool):
        return bad_bool
    if isinstance(valid, int):
        return bad_int
    if isinstance(valid, dt.date):
        return bad_date
    if isinstance(valid, Decimal | str):
        return bad_text
    if isinstance(valid, Source):
        return bad_source
    if isinstance(valid, Origin):
        return bad_origin
    if isinstance(valid, DecisionInput):
        return bad_decision
    if isinstance(valid, Evidence):
        return bad_evidence
    if isinstance(valid, list):
        return bad_decisions
    if isinstance(valid, dict):  # the values read before an update
        return st.one_of(st.text(max_size=5), st.just({"summary": "une autre valeur"}))
    raise AssertionError(f"pas de valeur invalide connue pour {name}={valid!r}")


def checksum(db) -> list[tuple]:
    with db.reader() as cur:
        union = " union all ".join(
            f"select '{t}', count(*), coalesce(sum(hash(x::varchar)), 0) from {t} as x"
            for t in sorted(schema_tables(cur))
        )
        return cur.execute(union + " order by 1").fetchall()


@pytest.mark.parametrize("service", sorted(WRITE_SERVICES))
def test_generated_bad_inputs_are_refused_and_change_nothing(db, service):
    _, _, function = WRITE_SERVICES[service]
    args, kwargs = VALID_CALLS[service](db)  # its set-up writes happen once, before the baseline
    fields = {f"arg{i}": v for i, v in enumerate(args)} | kwargs
    mutable = {
        k: v
        for k, v in fields.items()
        if v is not None and not (k == "arg0" and service == "change_status")
    }
    baseline = checksum(db)
    seen = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
        ],
    )
    @given(data=st.data())
    def check(data):
        field = data.draw(st.sampled_from(sorted(mutable)), label="champ")
        bad = data.draw(bad_value_for(field, mutable[field]), label="valeur")
        call = dict(fields, **{field: bad})
        positional = [call.pop(f"arg{i}") for i in range(len(args))]
        with pytest.raises((ValidationError, ConflictError)) as caught:
            function(db, ADMIN, *positional, **call)
        message = caught.value.message
        assert len(message) > 15 and "Error" not in message and "Traceback" not in message
        seen.append(field)

    check()
    assert len(seen) >= EXAMPLES
    assert checksum(db) == baseline
