"""Streamlit's browser code in French (and, where its markup breaks a rule of the RGAA,
corrected: see the comments of ``PATTERNS``).

Streamlit's front end has no translations: the words it writes itself (the skip link,
the sidebar button, the file uploader, the selectbox placeholder, the table toolbar,
plotly's mode bar…) are English literals in its JavaScript bundles. This ASGI
middleware serves those bundles with the literals of ``TRANSLATIONS`` replaced, and
the page with ``lang="fr"``. Each bundle (script or style sheet) is read, translated
and compressed once per process and then served from memory: Streamlit would gzip it
again for every browser that does not have it yet, which is most of the server's work
when a whole comité opens the app at once. A test checks that every translation still
finds its literal in the installed Streamlit, so an upgrade that renames one fails."""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: per bundle (its name before the content hash): English literal (between backticks)
#: -> French. Kept per bundle: the same word elsewhere may be code, not text.
TRANSLATIONS: dict[str, dict[str, str]] = {
    "index": {
        "Skip to main content": "Aller au contenu principal",
        "Collapse sidebar": "Replier le menu",
        "Expand sidebar": "Déplier le menu",
        "App pages": "Pages de l'application",
        "View less": "Voir moins",
        "Running...": "Calcul en cours…",
        "Stop": "Arrêter",
        "Stopping...": "Arrêt en cours…",
        # a link to an address that names no page (mistyped, or a page since renamed)
        "Page not found": "Page introuvable",
        "The page that you have requested does not seem to exist": "Cette page n'existe pas",
    },
    "utils": {
        "Choose an option": "Choisir une option",
        "Choose options": "Choisir des options",
        "Choose or add an option": "Choisir ou ajouter une option",
        "Choose or add options": "Choisir ou ajouter des options",
    },
    "Selectbox": {"No results": "Aucun résultat", "Open": "Ouvrir", "Clear value": "Effacer"},
    "Multiselect": {
        "No results": "Aucun résultat",
        "Open": "Ouvrir",
        "Select all": "Tout sélectionner",
        "Selected values": "Valeurs choisies",
        "Clear all": "Tout effacer",
    },
    "NumberInput": {"Increment": "Augmenter", "Decrement": "Diminuer", "Clear value": "Effacer"},
    "TextInput": {
        "Show password": "Afficher le mot de passe",
        "Hide password": "Masquer le mot de passe",
    },
    "InputInstructions": {"submit form": "envoyer le formulaire", "apply": "valider"},
    "DateInput": {
        "Clear date": "Effacer la date",
        "Clear dates": "Effacer les dates",
        "Date range": "Période",
        "Select...": "Choisir…",
        "Choose date": "Choisir une date",
        "Choose date range": "Choisir une période",
        "Quick select a date range": "Choix rapide d'une période",
    },
    "FileUploader": {"Upload": "Téléverser"},
    "DataFrame": {
        "Select all": "Tout sélectionner",
        "Download as CSV": "Télécharger en CSV",
        "Show/hide columns": "Afficher ou masquer des colonnes",
        "Search": "Rechercher",
    },
    "Toolbar": {"Fullscreen": "Plein écran"},
    "PlotlyChart": {
        "Fullscreen": "Plein écran",
        "Exit fullscreen": "Quitter le plein écran",
        "Zoom in": "Zoom avant",
        "Zoom out": "Zoom arrière",
        "Autoscale": "Échelle automatique",
        "Reset axes": "Réinitialiser les axes",
        "Download plot": "Télécharger le graphique",
        "Download plot as a PNG": "Télécharger le graphique (PNG)",
        "Double-click to zoom back out": "Double-cliquez pour revenir au zoom initial",
    },
}

#: literals with a value inside, per bundle: (pattern, replacement)
PATTERNS: dict[str, list[tuple[re.Pattern, str]]] = {
    "index": [
        (re.compile(r"`View \$\{([^{}`]+)\} more`"), r"`Voir ${\1} de plus`"),
        (
            re.compile(
                r"`You have requested page /\$\{(\w+)\}, but no corresponding file was found "
                r"in the app's pages/ directory`"
            ),
            r"`La page « /${\1} » n'existe pas`",
        ),
        (
            re.compile(r"`\$\{(\w+)\}\. Running the app's main page\.`"),
            r"`${\1} : voici la page d'accueil.`",
        ),
        # the menu as a valid list (RGAA 9.3): Streamlit puts each section (a <div>: its
        # heading and its <li> links) straight in the <ul>; a section becomes the list's
        # item and each link's <li> a <div> inside it
        (re.compile(r"=f\(`div`,\{target:`e1o1t1hb12`\}\)"), "=f(`li`,{target:`e1o1t1hb12`})"),
        (re.compile(r"=f\(`li`,\{target:`e1o1t1hb4`\}\)"), "=f(`div`,{target:`e1o1t1hb4`})"),
        # the close button of a dialog (its accessible name) and of a message box
        (re.compile(r'"aria-label":`Close`'), '"aria-label":`Fermer`'),
        (re.compile(r"children:`Close`"), "children:`Fermer`"),
    ],
    "Multiselect": [(re.compile(r"`Remove \$\{([^{}`]+)\}`"), r"`Retirer ${\1}`")],
    "DataFrame": [(re.compile(r"`Remove \$\{(\w+)\|\|`option`\}`"), r"`Retirer ${\1||`option`}`")],
    "FileUploader": [
        # the drop zone is named (its label) and holds the button: a group, not a
        # « presentation » (react-dropzone's default role) that a name contradicts
        (
            re.compile(r'\.\.\.(\w)\(\{tabIndex:-1\}\),"data-testid":`stFileUploaderDropzone`'),
            r'...\1({tabIndex:-1,role:`group`}),"data-testid":`stFileUploaderDropzone`',
        ),
        (
            re.compile(r"`\$\{([^`]+?)\} per file`"),
            r"`${String(\1).replace(/([0-9])([KMGT]?)B$/, '$1 $2o')} par fichier`",
        ),
        (
            re.compile(r"`\$\{(\w+)\.type\} files are not allowed\.`"),
            r"`Type de fichier non accepté (${\1.type}).`",
        ),
    ],
    # an empty date field's segments: react-aria's English placeholders (the fields are
    # laid out with the en-US locale, in the DD/MM/YYYY order the app asks for)
    # a date field in French for the ear too: react-aria names its segments (« jour »,
    # « mois », « année »), the selected date and the calendar's months in its locale
    "DateInput": [
        (re.compile(r"locale:`en-US`"), "locale:`fr-FR`"),
        (re.compile(r"`\$\{(\w+)\} start date`"), r"`${\1} : date de début`"),
        (re.compile(r"`\$\{(\w+)\} end date`"), r"`${\1} : date de fin`"),
    ],
    "DateField": [
        (
            re.compile(r"en:\{year:`yyyy`,month:`mm`,day:`dd`\}"),
            "en:{year:`aaaa`,month:`mm`,day:`jj`}",
        )
    ],
    "utils": [
        # the uploaded file's button, for the ear
        (re.compile(r"`Cancel upload of \$\{(\w)\.name\}`"), r"`Annuler l'envoi de ${\1.name}`"),
        (re.compile(r"`Remove \$\{(\w)\.name\}`"), r"`Retirer ${\1.name}`"),
        # a file's size as a French reader reads it: « 1,4 ko », « 258 o » (not « 1.4KB »,
        # « 258.0B »): the uploaded file's line and every size limit
        (
            re.compile(r"`\$\{(\w)\.toFixed\((\w)\)\}\$\{(\w)\.toUpperCase\(\)\}`"),
            r"`${Number(\1.toFixed(\2)).toLocaleString(`fr-FR`)} "
            r"${({gb:`Go`,mb:`Mo`,kb:`ko`,b:`o`})[\3]}`",
        ),
        (
            re.compile(r"`File must be \$\{(\$\(\w+,`b`\))\} or smaller\.`"),
            r"`Le fichier doit peser au plus ${String(\1).replace(/([0-9])([KMGT]?)B$/, '$1 $2o')}.`",
        ),
        (
            re.compile(r"`\$\{(\w+)\.type\} files are not allowed\.`"),
            r"`Type de fichier non accepté (${\1.type}).`",
        ),
    ],
    # the help button beside a label: its accessible name, read by screen readers
    "StreamlitMarkdown": [
        (re.compile(r'"aria-label":`Link to heading`'), '"aria-label":`Lien vers ce titre`'),
        (re.compile(r"\?`Help`:`Help for \$\{"), "?`Aide`:`Aide : ${"),
    ],
    "InputInstructions": [
        (
            re.compile(r"`Press \$\{(.{1,60}?)\}\+Enter to \$\{(\w+)\}`"),
            r"`${\1}+Entrée pour ${\2}`",
        ),
        (re.compile(r"`Press Enter to \$\{(\w+)\}`"), r"`Entrée pour ${\1}`"),
    ],
}


def bundle_name(path: str) -> str:
    """``/static/js/PlotlyChart.D9Z0_fxz.js`` -> ``PlotlyChart`` (``index.esm.X.js`` ->
    ``index.esm``: the name is all but the content hash)."""
    return path.rsplit("/", 1)[-1].removesuffix(".js").rsplit(".", 1)[0]


def translate_js(text: str, bundle: str) -> str:
    words = TRANSLATIONS.get(bundle, {})
    if words:
        literal = re.compile("`(" + "|".join(re.escape(k) for k in words) + ")`")
        text = literal.sub(lambda m: "`" + words[m.group(1)] + "`", text)
    for pattern, replacement in PATTERNS.get(bundle, []):
        text = pattern.sub(replacement, text)
    return text


def translate_html(text: str, bundle: str = "") -> str:
    return text.replace('<html lang="en">', '<html lang="fr">', 1)


#: translated answers (plain, gzip, headers), by the SHA-256 of what Streamlit served: as
#: many entries as distinct files, however many ways a path is written
_CACHE: dict[str, tuple[bytes, bytes, list]] = {}
#: a bundle's canonical path -> its entry (only paths written canonically: « //js »,
#: « /./ », « %2e » variants are translated from the same entry, never indexed)
_BY_PATH: dict[str, str] = {}


def canonical(path: str) -> bool:
    """A path written the one way the app's pages write it (no empty, « . » or « .. »
    segment, nothing percent-encoded)."""
    return "%" not in path and posixpath.normpath(path) == path


def _kind(scope: Scope) -> Callable[[str, str], str] | None:
    """What translates this request's answer (a bundle, a page), or None for an answer
    left as served (fonts, images, the app's own routes)."""
    path = scope.get("path", "")
    if path.endswith((".js", ".css")) and "/static/" in path:
        # every bundle is kept compressed in memory: Streamlit would gzip it again for
        # each visitor whose browser does not have it yet (a meeting's worth of CPU)
        return translate_js
    if "." not in path.rsplit("/", 1)[-1] and not path.startswith(("/_stcore", "/_cdv")):
        return translate_html  # a page: Streamlit answers with its index.html
    return None


class FrenchFrontend:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        translate = _kind(scope) if scope["type"] == "http" else None
        if translate is None:
            await self.app(scope, receive, send)
            return
        gzip_ok = any(k == b"accept-encoding" and b"gzip" in v for k, v in scope.get("headers", []))
        known = _BY_PATH.get(scope["path"]) if translate is translate_js else None
        cached = _CACHE.get(known) if known else None
        if cached is None:
            status, headers, body = await self._served(scope, receive)
            if status != 200 or not _is_text(headers):
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            cached = self._translated(scope["path"], body, headers, translate)
        plain, packed, headers = cached
        body = packed if gzip_ok else plain
        headers = [*headers, (b"content-length", str(len(body)).encode())]
        if gzip_ok:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _served(self, scope: Scope, receive: Receive) -> tuple[int, list, bytes]:
        """Streamlit's own answer, uncompressed, whole."""
        plain_scope = {
            **scope,
            "headers": [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"],
        }
        start: dict = {}
        chunks: list[bytes] = []

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(plain_scope, receive, collect)
        return start.get("status", 500), list(start.get("headers", [])), b"".join(chunks)

    @staticmethod
    def _translated(path: str, body: bytes, headers: list, translate) -> tuple:
        key = hashlib.sha256(body).hexdigest()
        if translate is translate_js and canonical(path):
            _BY_PATH[path] = key
        if key not in _CACHE:
            plain = translate(body.decode("utf-8"), bundle_name(path)).encode("utf-8")
            kept = [
                (k, v)
                for k, v in headers
                if k.lower() not in (b"content-length", b"etag", b"content-encoding", b"vary")
            ]
            _CACHE[key] = (
                plain,
                gzip.compress(plain, compresslevel=6),
                [*kept, (b"vary", b"Accept-Encoding")],
            )
        return _CACHE[key]


def _is_text(headers: list[tuple[bytes, bytes]]) -> bool:
    kinds = [v for k, v in headers if k.lower() == b"content-type"]
    encodings = [v for k, v in headers if k.lower() == b"content-encoding"]
    return (
        bool(kinds)
        and not encodings
        and any(t in kinds[0] for t in (b"javascript", b"html", b"css"))
    )
