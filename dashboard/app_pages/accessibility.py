"""Déclaration d'accessibilité: open to anyone, signed in or not (the law asks that it
be reachable from every page). Its figures come from the latest audit and the criteria
as judged (``tracker.accessibility``); the entity, contact and multi-year plan are set
by an administrator (page Administration)."""

import pandas as pd
import streamlit as st

from dashboard.tracker import accessibility, fmt
from dashboard.ui import data
from dashboard.ui.layout import APP_NAME, page_header
from dashboard.ui.widgets import data_table, escape_markdown

found = accessibility.statement(data.database())
page_header("Déclaration d'accessibilité")
st.markdown(
    escape_markdown(
        f"{found.entity} s'engage à rendre ce service accessible, conformément à l'article 47 "
        f"de la loi n° 2005-102 du 11 février 2005. Cette déclaration d'accessibilité "
        f"s'applique à {APP_NAME}, outil de suivi des programmes d'évaluation des contrats "
        "de ville."
    )
)

st.header("État de conformité")
st.markdown(
    f"{APP_NAME} est **{found.compliance}** avec le référentiel général d'amélioration de "
    "l'accessibilité (RGAA), version 4.1.2"
    + (
        ", en raison des non-conformités énumérées ci-dessous."
        if found.count("non conforme")
        else "."
    )  # fmt: skip
)

st.header("Résultats des tests")
if found.audit_date is None or found.rate is None:
    st.markdown("Aucun audit n'a encore été enregistré.")
else:
    st.markdown(
        f"L'audit de conformité réalisé le {fmt.date_fr(found.audit_date)} révèle que "
        f"**{fmt.percent(found.rate * 100, 1)} des critères** du RGAA version 4.1.2 sont "
        f"respectés : {found.count('conforme')} critères conformes, "
        f"{found.count('non conforme')} non conformes, {found.count('non applicable')} non "
        f"applicables, sur {len(found.criteria)}."
    )
    st.markdown(
        f"Audit automatisé (axe-core {found.axe_version}, règles WCAG 2.1 A et AA et bonnes "
        f"pratiques) : **{found.places} vues contrôlées** — chaque page et chaque onglet, pour "
        "chaque rôle, au bureau (1440 × 900) et sur téléphone (390 × 844), le mode "
        f"présentation, la connexion et la page introuvable —, dont {found.places_clean} sans "
        "aucune violation."
    )
    rules = found.violations()
    if rules:
        data_table(
            pd.DataFrame(
                [
                    {
                        "Règle axe": rule,
                        "Gravité": entry["impact"],
                        "Ce qu'elle demande": entry["help"],
                        "Vues": entry["places"],
                        "Éléments": entry["nodes"],
                    }
                    for rule, entry in sorted(rules.items())
                ]
            ),  # fmt: skip
            hide_index=True,
            width="stretch",
        )

st.header("Contenus non accessibles")
st.markdown("**Non-conformités**")
listed = []
for criterion in found.criteria:
    if criterion.status == "non conforme":
        failing = (f" Règles en échec au dernier audit : {', '.join(criterion.failing)}."
                   if criterion.failing else "")  # fmt: skip
        listed.append(
            "- " + escape_markdown(
                f"Critère {criterion.id} ({criterion.theme}) — {criterion.title} Constat : "
                f"{criterion.how}.{failing}"
            )
        )  # fmt: skip
st.markdown("\n".join(listed) or "Aucune.")
st.markdown("**Dérogations pour charge disproportionnée** : aucune.")
st.markdown("**Contenus non soumis à l'obligation d'accessibilité** : aucun.")
st.markdown(
    "**Alternatives proposées** : chaque graphique est suivi de ses chiffres clés en mots et "
    "de son tableau de données ; l'option « Tableaux simples » du menu remplace les grilles "
    "de Streamlit par des tableaux HTML (titre, en-têtes de colonnes) ; le dossier "
    "trimestriel existe en présentation (.pptx) et en classeur (.xlsx) en plus du PDF, le "
    "rapport en document Word (.docx)."
)

st.header("Établissement de cette déclaration")
st.markdown(
    f"Cette déclaration a été établie le "
    f"{fmt.date_fr(found.audit_date) if found.audit_date else fmt.UNKNOWN}, à partir du "
    "dernier audit enregistré par les tests de l'application."
)
st.markdown(
    "- Technologies utilisées : HTML5, CSS, JavaScript, WAI-ARIA, SVG.\n"
    "- Environnement de test : Chromium (Debian), piloté par Playwright ; l'arbre "
    "d'accessibilité de Chromium (noms, descriptions, valeurs) est lu par les tests. Aucun "
    "lecteur d'écran (NVDA, VoiceOver) n'a encore été utilisé pour cet audit.\n"
    "- Outils : axe-core ; parcours au clavier seul, zoom à 200 %, fenêtre de 320 px et "
    "espacements de texte redéfinis (tests de l'application).\n"
    "- Pages vérifiées : toutes les pages du menu, pour chaque rôle, avec leurs onglets ; "
    "le mode présentation ; la connexion ; la page introuvable ; cette déclaration."
)

st.header("Retour d'information et contact")
st.markdown(
    escape_markdown(
        "Si vous n'arrivez pas à accéder à un contenu ou à une fonctionnalité, contactez le "
        "responsable du service pour être orienté vers une alternative accessible ou obtenir "
        "le contenu sous une autre forme : "
        + (
            found.contact
            or "contact non renseigné (l'administrateur le saisit sur la page "
            "Administration, onglet Publication)."
        )  # fmt: skip
    )
)

st.header("Voies de recours")
intro, ways = accessibility.RECOURSE
st.markdown(intro + "\n" + "\n".join(f"- {way}" for way in ways))

st.header("Schéma pluriannuel de mise en accessibilité")
st.markdown(escape_markdown(found.plan) if found.plan else fmt.UNKNOWN.capitalize() + ".")

with st.expander(f"Les {len(found.criteria)} critères du RGAA 4.1.2, un par un"):
    data_table(
        pd.DataFrame(
            [
                {
                    "Critère": c.id,
                    "Thème": c.theme,
                    "Statut": c.status,
                    "Question": c.title,
                    "Comment c'est vérifié": c.how,
                }
                for c in found.criteria
            ]
        ),  # fmt: skip
        hide_index=True,
        width="stretch",
    )
