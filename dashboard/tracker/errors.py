"""Errors a user can act on. Their messages are French and shown as they are."""

import errno


class TrackerError(Exception):
    """Base of every error whose message is meant for a user."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class ValidationError(TrackerError):
    """The input is refused; nothing was written."""


class PermissionDenied(TrackerError):
    """The actor's role does not allow this write; nothing was written."""


class ConflictError(TrackerError):
    """Someone changed the item after it was read; nothing was written.

    ``current`` holds the item as it is now, so a form can show both values.
    """

    @property
    def current(self) -> dict | None:
        return self.args[1] if len(self.args) > 1 else None


class NotFound(ValidationError):
    """An id that names nothing."""


class DatabaseLocked(TrackerError):
    """Another process holds the database file."""


class Unavailable(TrackerError):
    """The shared store (PostgreSQL) cannot be reached now: nothing was written."""


_OS_REASONS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "disque plein",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EROFS: "disque en lecture seule",
    errno.EEXIST: "le fichier existe déjà",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EFBIG: "fichier trop gros pour ce disque",
    errno.EDQUOT: "quota disque dépassé",
}


def os_reason(error: OSError) -> str:
    """What went wrong with a file, in French (the system's text is English)."""
    return _OS_REASONS.get(error.errno, f"erreur système n° {error.errno}")


def disk_message(error: OSError, what: str) -> str:
    """A failed write, in French: « disque plein » when it is that (``what``: « la
    sauvegarde », « le fichier joint »…, feminine or masculine alike)."""
    if error.errno == errno.ENOSPC:
        return f"Le disque est plein : {what} n'a pas pu être écrit(e), rien n'a changé."
    return f"Erreur d'écriture du disque ({os_reason(error)}) : {what} a échoué, rien n'a changé."
