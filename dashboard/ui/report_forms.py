"""The evaluation report on the Évaluation page: the report of the page's date as DOCX
and PDF (« Projet », generated when asked), the validated reports to download exactly
as they were validated, and, for contributors, the validation by a committee decision."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.tracker import access, fmt
from dashboard.tracker.evaluation_report import build
from dashboard.tracker.evaluation_report.docx import docx_bytes
from dashboard.tracker.evaluation_report.pdf import pdf_bytes
from dashboard.tracker.evaluation_report.stored import validate_report, validated, validated_file
from dashboard.ui import data, forms, session

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_tab(programme: str, as_of: dt.date) -> None:
    db = data.database()
    st.markdown(
        f"Le rapport d'évaluation au **{fmt.date_fr(as_of)}**, écrit à partir du suivi : "
        "contexte, méthode, un chapitre par question (réponse, jugements, indicateurs, "
        "preuves, limites), recommandations et annexes. Il porte la mention « Projet » "
        "tant qu'une décision de comité ne l'a pas validé ; les effectifs trop petits y "
        "sont masqués (secret statistique)."
    )
    stem = f"rapport-evaluation-{programme}-{as_of.isoformat()}"
    left, right = st.columns(2)
    left.download_button("Rapport (.docx, projet)", file_name=f"{stem}.docx", mime=DOCX,
                         data=lambda: docx_bytes(build(db, programme, as_of)),
                         icon=":material/description:", on_click="ignore")  # fmt: skip
    right.download_button("Rapport (.pdf, projet)", file_name=f"{stem}.pdf", mime="application/pdf",
                          data=lambda: pdf_bytes(build(db, programme, as_of)),
                          icon=":material/picture_as_pdf:", on_click="ignore")  # fmt: skip
    _validated(programme, as_of)
    actor = session.current_actor()
    if actor is not None and access.ROLES.index(actor.role) >= 1:
        _validate(programme, as_of, actor)


def _validated(programme: str, as_of: dt.date) -> None:
    rows = validated(data.database(), programme, as_of)
    st.header("Rapports validés", anchor=False)
    if not rows:
        st.caption(f"Aucun rapport validé au {fmt.date_fr(as_of)}.")
    for row in rows:
        st.markdown(
            f"Rapport au {fmt.date_fr(row['as_of'])}, validé le {fmt.date_fr(row['validated_on'])}"
            f" ({row['committee_name'] or fmt.UNKNOWN})"
        )
        left, right = st.columns(2)
        for column, kind, mime in ((left, "docx", DOCX), (right, "pdf", "application/pdf")):
            name = f"rapport-evaluation-{programme}-{row['as_of'].isoformat()}-valide.{kind}"
            column.download_button(
                f"Rapport validé (.{kind})", file_name=name, mime=mime, key=f"valide-{row['id']}-{kind}",
                data=lambda r=row["id"], k=kind: validated_file(data.database(), programme, r, k)[1],
                on_click="ignore",
            )  # fmt: skip


def _validate(programme: str, as_of: dt.date, actor) -> None:
    decisions = forms.decision_choices(programme, as_of)
    key = f"report-validate-{programme}-{as_of.isoformat()}"
    with st.form(forms.fresh(key)):
        st.markdown(f"**Valider le rapport au {fmt.date_fr(as_of)}**")
        st.caption("La version validée est générée sans la mention « Projet » et conservée "
                   "telle quelle : on pourra la télécharger plus tard exactement comme elle a "
                   "été validée.")  # fmt: skip
        decision = st.selectbox("Décision de comité qui valide le rapport", [None, *decisions],
                                format_func=lambda d: "—" if d is None else decisions[d])  # fmt: skip
        if st.form_submit_button("Enregistrer la validation", type="primary"):
            forms.attempt("evaluation-report", key, "Rapport validé et conservé.",
                          lambda: validate_report(data.database(), actor, programme_code=programme,
                                                  as_of=as_of, decision_id=decision))  # fmt: skip
