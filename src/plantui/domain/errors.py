"""Errors a user can cause. Each carries one line that names the file, row or field at fault.

The CLI prints `str(error)` and exits non-zero; the TUI shows it in a notice. Anything that is not a
`PlantuiError` is a bug and is allowed to surface as one.
"""


class PlantuiError(Exception):
    """A problem the user can fix; its message is a single line meant for them."""

    exit_code = 1


class InputError(PlantuiError):
    """Bad input: an unknown status word, an unreadable milestone, a malformed file or value."""

    exit_code = 2


class NotFoundError(PlantuiError):
    """A ref, plan or file that does not exist."""

    exit_code = 3


class StoreError(PlantuiError):
    """The database cannot be used: not a database, read-only, locked, or from a newer plantui."""

    exit_code = 4


class ReadOnlyError(StoreError):
    """A change was asked of a database opened read-only (or an as-at view)."""
