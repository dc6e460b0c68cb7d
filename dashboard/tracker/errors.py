"""Errors a user can act on. Their messages are French and shown as they are."""


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
