"""Mail out of the tracker: the SMTP settings (environment variables, or the settings
file for all but the password, which is never stored in the database nor exported), the
French messages (plain text and HTML, every stored text escaped, a link to the page
concerned and one to unsubscribe), and the sending, whose refusals are said in French."""

from __future__ import annotations

import html
import os
import smtplib
import ssl
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from dashboard.tracker.errors import TrackerError

SECURITY = ("none", "starttls", "tls")
TIMEOUT = 20


class MailError(TrackerError):
    """The mail server refused or could not be reached: said in French."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str | None
    base_url: str

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)


def settings(environ: dict | None = None) -> MailSettings:
    """``CDV_SMTP_*`` and ``CDV_BASE_URL``, else the ``[messagerie]`` table of the file
    named by ``CDV_SETTINGS`` (host, port, security, user, from, base_url — never the
    password: refused there)."""
    env = os.environ if environ is None else environ
    table: dict = {}
    if env.get("CDV_SETTINGS"):
        path = Path(env["CDV_SETTINGS"])
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("messagerie", {})
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise MailError(f"Le fichier de réglages {path} ne se lit pas : {error}.") from error
        if "password" in table or "mot_de_passe" in table:
            raise MailError(
                f"Le fichier de réglages {path} contient un mot de passe : retirez-le et donnez-le "
                "par la variable CDV_SMTP_PASSWORD (il ne s'écrit dans aucun fichier du suivi)."
            )

    def pick(name: str, key: str, default=None):
        return env.get(name) or table.get(key) or default

    security = str(pick("CDV_SMTP_SECURITY", "security", "starttls")).lower()
    if security not in SECURITY:
        raise MailError(f"CDV_SMTP_SECURITY vaut none, starttls ou tls (reçu : « {security} »).")
    port = pick("CDV_SMTP_PORT", "port", {"none": 25, "starttls": 587, "tls": 465}[security])
    try:
        port = int(port)
    except (TypeError, ValueError) as error:
        raise MailError(f"CDV_SMTP_PORT est un numéro de port (reçu : « {port} »).") from error
    return MailSettings(
        host=pick("CDV_SMTP_HOST", "host"), port=port, security=security,
        user=pick("CDV_SMTP_USER", "user"), password=env.get("CDV_SMTP_PASSWORD"),
        sender=pick("CDV_SMTP_FROM", "from"),
        base_url=str(pick("CDV_BASE_URL", "base_url", "http://localhost:8501")).rstrip("/"),
    )  # fmt: skip


def message(
    config: MailSettings, to: str, subject: str, body: str, link: str | None,
    unsubscribe: str | None = None, fictional: bool = False,
) -> EmailMessage:  # fmt: skip
    """A French message, plain text and HTML: ``body`` and ``subject`` are stored text
    (titles, labels): escaped in the HTML, never markup; links are the configured base
    URL's own pages."""
    mail = EmailMessage()
    mail["Subject"] = subject.replace("\n", " ")[:200]
    mail["From"] = config.sender
    mail["To"] = to
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = make_msgid(domain="cdv-tracker")
    mail["Content-Language"] = "fr"
    page = f"{config.base_url}{link}" if link else None
    stop = f"{config.base_url}/_cdv/desabonnement?jeton={unsubscribe}" if unsubscribe else None
    if stop:
        mail["List-Unsubscribe"] = f"<{stop}>"
    text = [body, ""]
    if page:
        text.append(f"Ouvrir la page : {page}")
    if stop:
        text.append(f"Ne plus recevoir ces notifications : {stop}")
    text.append("— cdv-tracker")
    mail.set_content("\n".join(text))
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
    links = (f'<p><a href="{html.escape(page)}">Ouvrir la page</a></p>' if page else "") + (
        f'<p style="font-size:smaller"><a href="{html.escape(stop)}">Ne plus recevoir ces '
        "notifications</a></p>" if stop else "")  # fmt: skip
    mail.add_alternative(
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head><body>{paragraphs}{links}"
        "<p>— cdv-tracker</p></body></html>",
        subtype="html",
    )
    return mail


def send(config: MailSettings, mail: EmailMessage) -> str:
    """Hand the message to the server; its answer, or MailError in French."""
    if not config.configured:
        raise MailError(
            "Aucun serveur de messagerie n'est configuré (CDV_SMTP_HOST et CDV_SMTP_FROM)."
        )
    try:
        if config.security == "tls":
            server = smtplib.SMTP_SSL(config.host, config.port, timeout=TIMEOUT,
                                      context=ssl.create_default_context())  # fmt: skip
        else:
            server = smtplib.SMTP(config.host, config.port, timeout=TIMEOUT)
        with server:
            if config.security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if config.user:
                server.login(config.user, config.password or "")
            refused = server.send_message(mail)
            code, answer = server.noop()
    except smtplib.SMTPResponseException as error:
        said = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) \
            else str(error.smtp_error)  # fmt: skip
        raise MailError(
            f"Le serveur de messagerie a refusé le message ({error.smtp_code} {said})."
        ) from error
    except smtplib.SMTPRecipientsRefused as error:
        raise MailError(
            f"Le serveur de messagerie a refusé le destinataire ({', '.join(error.recipients)})."
        ) from error
    except (smtplib.SMTPException, ssl.SSLError) as error:
        raise MailError(f"Le serveur de messagerie a refusé l'échange : {error}.") from error
    except (TimeoutError, OSError) as error:
        raise MailError(
            f"Le serveur de messagerie {config.host}:{config.port} est injoignable ({error})."
        ) from error
    if refused:
        raise MailError(
            f"Le serveur de messagerie a refusé le destinataire ({', '.join(refused)})."
        )
    return f"accepté par {config.host}:{config.port} ({code})"
