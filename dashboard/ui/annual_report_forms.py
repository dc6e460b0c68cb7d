"""The forms of the « Rapport annuel » page (contributeurs): open a year's report, send
the draft for an opinion, record an opinion received with its document, the approving
deliberation, the publication; and the downloads of the document (DOCX, PDF) and of
its annexes. Each write goes through its service; a refusal says why in French and
writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import streamlit as st

from dashboard.tracker import annual_report as ar
from dashboard.tracker import files, fmt
from dashboard.ui import data, forms

PAGE = "rapport-annuel"


def downloads(code: str, year: int, as_of: dt.date) -> None:
    """The report as it stands at ``as_of``: DOCX, PDF, and its annexes in a ZIP; each
    generated when asked for."""
    from dashboard.tracker.evaluation_report import annual
    from dashboard.tracker.evaluation_report.docx import docx_bytes
    from dashboard.tracker.evaluation_report.pdf import pdf_bytes

    stem = f"rapport-annuel-{year}-{code}-{as_of.isoformat()}"
    left, middle, right = st.columns(3)
    left.download_button(
        "Rapport annuel (.docx, modifiable)", file_name=f"{stem}.docx",
        data=lambda: docx_bytes(annual.build_annual(data.database(), code, year, as_of)),
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/description:", on_click="ignore",
    )  # fmt: skip
    middle.download_button(
        "Rapport annuel (.pdf)", file_name=f"{stem}.pdf", mime="application/pdf",
        data=lambda: pdf_bytes(annual.build_annual(data.database(), code, year, as_of)),
        icon=":material/picture_as_pdf:", on_click="ignore",
    )  # fmt: skip
    right.download_button(
        "Avis annexés (.zip)", file_name=f"{stem}-annexes.zip", mime="application/zip",
        data=lambda: _zip(annual.annexed(data.database(), code, year, as_of)),
        icon=":material/folder_zip:", on_click="ignore",
    )  # fmt: skip


def _zip(annexes: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in annexes:
            archive.writestr(name.replace("/", "_"), content)
    return out.getvalue()


def _upload(label: str, key: str):
    return st.file_uploader(
        f"{label} ({files.ALLOWED}, {files.MAX_BYTES // 1024 // 1024} Mo au plus ; facultatif)",
        key=key, max_upload_size=files.MAX_BYTES // 1024 // 1024,
    )  # fmt: skip


def _sent(upload) -> files.Upload | None:
    return files.Upload(upload.name, upload.getvalue()) if upload is not None else None


def open_form(actor, code: str, year: int, report: dict | None) -> None:
    if report is not None:
        st.caption(f"Le rapport annuel {year} est ouvert : corrigez ses perspectives ou ses "
                   "dates prévues ci-dessous.")  # fmt: skip
    programme = next(p for p in data.records("programme_records") if p["code"] == code)
    name = forms.fresh(f"annual-open-{code}-{year}")
    with st.form(name):
        outlook = st.text_area(
            "Perspectives (améliorations nécessaires, droit commun, participation des habitants…)",
            value=(report or {}).get("outlook") or "", max_chars=20000, key=f"{name}-outlook",
        )  # fmt: skip
        left, right = st.columns(2)
        with left:
            approval = forms.date_field("Délibération prévue le",
                                        (report or {}).get("planned_approval_on"),
                                        key=f"{name}-approval")  # fmt: skip
        with right:
            publication = forms.date_field("Publication prévue le",
                                           (report or {}).get("planned_publication_on"),
                                           key=f"{name}-publication")  # fmt: skip
        label = "Enregistrer" if report else f"Ouvrir le rapport annuel {year}"
        if st.form_submit_button(label, type="primary"):
            if report is None:
                action = lambda: ar.create_report(  # noqa: E731
                    data.database(), actor, programme_id=programme["programme_id"], year=year,
                    outlook=outlook or None, planned_approval_on=approval,
                    planned_publication_on=publication,
                )  # fmt: skip
            else:
                action = lambda: ar.update_report(  # noqa: E731
                    data.database(), actor, report["report_id"], expected_version=report["version"],
                    outlook=outlook or None, planned_approval_on=approval,
                    planned_publication_on=publication,
                )  # fmt: skip
            forms.attempt(PAGE, f"annual-open-{code}-{year}", "Rapport annuel enregistré.", action)


def _needs(report: dict | None) -> bool:
    if report is None:
        st.caption("Ouvrez d'abord le rapport annuel de cette année (premier onglet).")
        return False
    return True


def send_form(actor, report: dict | None, today: dt.date) -> None:
    if not _needs(report):
        return
    communes = {o["organisation_id"]: o["name"] for o in data.records("organisation_records")
                if o["kind"] == "local_authority" and o["archived_on"] is None}  # fmt: skip
    others = {o["organisation_id"]: o["name"] for o in data.records("organisation_records")
              if o["archived_on"] is None}  # fmt: skip
    councils = {c["id"]: c["name"] for c in data.records("citizen_councils", as_of=today)}
    kind = forms.choose("Instance consultée", fmt.CONSULTED_LABELS, key="annual-send-kind")
    name = forms.fresh("annual-send")
    with st.form(name):
        organisation = council = None
        if kind == "citizen_council":
            council = forms.choose("Conseil citoyen", councils, key=f"{name}-council", index=None)
        elif kind == "municipal_council":
            organisation = forms.choose("Commune", communes, key=f"{name}-org", index=None)
        else:
            organisation = forms.choose("Signataire", others, key=f"{name}-org", index=None)
        left, right = st.columns(2)
        with left:
            sent_on = forms.date_field("Projet envoyé le", key=f"{name}-on")
        months = right.number_input("Délai de réponse (mois, au moins un)", min_value=1,
                                    max_value=12, value=1, step=1, key=f"{name}-months")  # fmt: skip
        if st.form_submit_button("Enregistrer l'envoi", type="primary"):
            forms.attempt(PAGE, "annual-send", "Envoi enregistré : son échéance est calculée.",
                          lambda: ar.send_draft(data.database(), actor,
                                                report_id=report["report_id"], consulted=kind,
                                                sent_on=sent_on, organisation_id=organisation,
                                                council_id=council, delay_months=int(months)))  # fmt: skip


def answer_form(actor, report: dict | None, today: dt.date) -> None:
    if not _needs(report):
        return
    waiting = {r["consultation_id"]: r for r in ar.consultations(data.database(),
                                                                 report["report_id"], today)
               if r["answered_on"] is None}  # fmt: skip
    if not waiting:
        st.caption("Aucun envoi sans réponse : rien à enregistrer.")
        return
    name = forms.fresh("annual-answer")
    with st.form(name):
        chosen = forms.choose(
            "Instance", {i: f"{r['body']} (envoyé le {fmt.date_fr(r['sent_on'])})"
                         for i, r in waiting.items()}, key=f"{name}-which", index=None,
        )  # fmt: skip
        opinion = forms.choose("Avis", fmt.OPINION_LABELS, key=f"{name}-opinion", index=None)
        received = forms.date_field("Reçu le", key=f"{name}-on")
        summary = st.text_area("Résumé de l'avis", max_chars=5000, key=f"{name}-summary")
        upload = _upload("Le document de l'avis", f"{name}-file")
        if st.form_submit_button("Enregistrer l'avis", type="primary"):
            version = waiting[chosen]["version"] if chosen in waiting else 0
            forms.attempt(PAGE, "annual-answer", "Avis enregistré et annexé.",
                          lambda: ar.record_answer(data.database(), actor, chosen,
                                                   expected_version=version, answered_on=received,
                                                   opinion=opinion, summary=summary or None,
                                                   upload=_sent(upload)))  # fmt: skip


def approve_form(actor, report: dict | None) -> None:
    if not _needs(report):
        return
    if report["approved_on"]:
        st.caption(f"Approuvé le {fmt.date_fr(report['approved_on'])}.")
        return
    name = forms.fresh("annual-approve")
    with st.form(name):
        on = forms.date_field("Délibération du", key=f"{name}-on")
        left, right = st.columns(2)
        body = left.text_input("Instance (conseil communautaire, conseil de la Métropole…)",
                               key=f"{name}-body")  # fmt: skip
        number = right.text_input("Numéro de la délibération", key=f"{name}-number")
        follow_up = st.text_area("Suites données aux avis (obligatoire)", max_chars=20000,
                                 key=f"{name}-follow")  # fmt: skip
        upload = _upload("La délibération", f"{name}-file")
        if st.form_submit_button("Enregistrer la délibération", type="primary"):
            forms.attempt(PAGE, "annual-approve", "Délibération enregistrée : rapport approuvé.",
                          lambda: ar.approve(data.database(), actor, report["report_id"],
                                             expected_version=report["version"], approved_on=on,
                                             follow_up=follow_up, deliberation_body=body or None,
                                             deliberation_number=number or None,
                                             upload=_sent(upload)))  # fmt: skip


def publish_form(actor, report: dict | None) -> None:
    if not _needs(report):
        return
    if report["published_on"]:
        st.caption(f"Rendu public le {fmt.date_fr(report['published_on'])}.")
        return
    name = forms.fresh("annual-publish")
    with st.form(name):
        on = forms.date_field("Rendu public le", key=f"{name}-on")
        upload = _upload("Le rapport définitif publié", f"{name}-file")
        if st.form_submit_button("Enregistrer la publication", type="primary"):
            forms.attempt(PAGE, "annual-publish", "Publication enregistrée.",
                          lambda: ar.publish(data.database(), actor, report["report_id"],
                                             expected_version=report["version"],
                                             published_on=on, upload=_sent(upload)))  # fmt: skip
