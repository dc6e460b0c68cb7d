"""The app's pages: file, title, icon and URL path of each, and the role each asks
for. Plain data (``app.py`` makes them ``st.Page``), so tests can walk every page."""

READ_PAGES = [
    dict(
        page="app_pages/overview.py",
        title="Vue d'ensemble",
        icon=":material/dashboard:",
        url_path="accueil",
        default=True,
    ),
    dict(
        page="app_pages/progress.py",
        title="Avancement",
        icon=":material/account_tree:",
        url_path="avancement",
    ),
    dict(
        page="app_pages/budget.py",
        title="Budget et dépenses",
        icon=":material/euro:",
        url_path="budget",
    ),
    dict(
        page="app_pages/evaluation.py",
        title="Évaluation",
        icon=":material/query_stats:",
        url_path="evaluation",
    ),
    dict(
        page="app_pages/committees.py",
        title="Comités et décisions",
        icon=":material/groups:",
        url_path="comites",
    ),
    dict(
        page="app_pages/citizen_councils.py",
        title="Conseils citoyens",
        icon=":material/diversity_3:",
        url_path="conseils-citoyens",
    ),
    dict(
        page="app_pages/annual_report.py",
        title="Rapport annuel",
        icon=":material/summarize:",
        url_path="rapport-annuel",
    ),
    dict(
        page="app_pages/deadlines.py",
        title="Échéances",
        icon=":material/event:",
        url_path="echeances",
    ),
    dict(
        page="app_pages/sources.py",
        title="Sources et complétude",
        icon=":material/fact_check:",
        url_path="sources",
    ),
    dict(
        page="app_pages/programme.py",
        title="Programmes et actes",
        icon=":material/history_edu:",
        url_path="programmes",
    ),
    dict(
        page="app_pages/pack.py",
        title="Présentation trimestrielle",
        icon=":material/slideshow:",
        url_path="presentation",
    ),
]
WRITE_PAGES = [
    dict(
        page="app_pages/update.py",
        title="Mise à jour",
        icon=":material/edit:",
        url_path="mise-a-jour",
    ),
    dict(
        page="app_pages/work.py",
        title="Phases et actions",
        icon=":material/add_task:",
        url_path="travaux",
    ),
    dict(
        page="app_pages/meetings.py",
        title="Réunions",
        icon=":material/event_note:",
        url_path="reunions",
    ),
    dict(
        page="app_pages/payments.py",
        title="Paiements",
        icon=":material/payments:",
        url_path="paiements",
    ),
    dict(
        page="app_pages/bulk.py",
        title="Saisie en lot",
        icon=":material/table_edit:",
        url_path="saisie-en-lot",
    ),
    dict(
        page="app_pages/evaluation_entry.py",
        title="Saisie de l'évaluation",
        icon=":material/playlist_add_check:",
        url_path="saisie-evaluation",
    ),
    dict(
        page="app_pages/sheet_import.py",
        title="Import d'un tableur",
        icon=":material/upload:",
        url_path="import-tableur",
    ),
]
ADMIN_PAGES = [
    dict(
        page="app_pages/records.py",
        title="Saisie des actes",
        icon=":material/gavel:",
        url_path="saisie-des-actes",
    ),
    dict(
        page="app_pages/act_import.py",
        title="Import d'un acte",
        icon=":material/upload_file:",
        url_path="import-acte",
    ),
    dict(
        page="app_pages/territories.py",
        title="Territoires",
        icon=":material/map:",
        url_path="territoires",
    ),
    dict(
        page="app_pages/admin.py",
        title="Administration",
        icon=":material/admin_panel_settings:",
        url_path="administration",
    ),
]
#: the signed-in person's notifications (the count of unread ones beside it)
NOTIFICATIONS = dict(
    page="app_pages/notifications.py",
    title="Notifications",
    icon=":material/notifications:",
    url_path="notifications",
)
#: the accessibility statement: open to anyone, signed in or not (« public »)
STATEMENT = dict(
    page="app_pages/accessibility.py",
    title="Déclaration d'accessibilité",
    icon=":material/accessibility_new:",
    url_path="accessibilite",
)
LOGIN = dict(
    page="app_pages/login.py", title="Connexion", icon=":material/login:", url_path="connexion"
)
#: Streamlit serves the default page at « / » only: its own path would answer « page
#: not found ». The overview's usual link, kept working through a hidden alias.
OVERVIEW_ALIAS = {**READ_PAGES[0], "url_path": "vue-d-ensemble", "default": False}
#: the role each page asks for (None: readable by anyone allowed to read)
NEEDS = {
    **{spec["url_path"]: None for spec in READ_PAGES},
    **{spec["url_path"]: "contributeur" for spec in WRITE_PAGES},
    **{spec["url_path"]: "administrateur" for spec in ADMIN_PAGES},
    NOTIFICATIONS["url_path"]: "lecteur",
    STATEMENT["url_path"]: "public",
}
