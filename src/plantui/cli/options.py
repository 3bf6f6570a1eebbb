"""What every `plantui` command shares: the global options (`Options`) and the date parameter.

Apart from `plantui.cli.main` so that the command modules and the workbench's opening
(`plantui.cli.open_tui`) can use them without importing the command group that loads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import click

from plantui.domain.errors import InputError


@dataclass
class Options:
    """The global options every command sees."""

    db: str | None = field(repr=False)  # may be a URL with a password; reprs reach tracebacks
    today: date
    author: str | None
    as_at: date | None = None

    def open(
        self, *, create: bool = True, readonly: bool = False, daily_backup: bool = True, echo: bool = True
    ):  # -> Database
        """Open the store `--db` names; its notices go to stderr unless `echo` is off (the caller shows
        `database.notices` itself, as the workbench does on its own screen)."""
        from plantui.domain.text import visible
        from plantui.io.settings import backups_keep
        from plantui.store.opening import open_database

        database = open_database(
            self.db, create=create, readonly=readonly, daily_backup=daily_backup, backups_keep=backups_keep()
        )
        if echo:
            for notice in database.notices:
                click.echo(f"plantui: {visible(notice)}", err=True)
        return database

    def refuse_as_at(self, what: str) -> None:
        """Changes are made to the plan as it is now, never to a plan shown as at a past day."""
        if self.as_at is not None:
            raise InputError(
                f"--as-at {self.as_at.isoformat()} shows the plan as it stood then and cannot change it; "
                f"run {what} without --as-at"
            )

    def who(self, database=None) -> str:
        """Who is recording changes: `--author`; on a database server, the user the server knows us
        as; for a file, the saved setting or the login name."""
        from plantui.io.settings import default_author

        if database is not None and not (self.author and self.author.strip()):
            user = database.connection_user()
            if user:
                return user
        return default_author(self.author)


# Days a command accepts (--today, --as-at): every plan's life lies inside, and the due and as-at
# arithmetic near Python's last day (9999-12-31) would overflow.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class DateParam(click.ParamType):
    """A day as YYYY-MM-DD; anything else is one line naming the option (an `InputError`)."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        option = param_name(param) if param is not None else "date"
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise InputError(f"{option}: {value!r} is not a date: write YYYY-MM-DD") from None
        if not FIRST_DAY <= day <= LAST_DAY:
            raise InputError(
                f"{option}: {day.isoformat()} is outside the days plantui works with "
                f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
            )
        return day


DATE = DateParam()


def param_name(param: click.Parameter) -> str:
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name


def output_option(help_text: str):
    """`-o/--output FILE` for a command that writes a file or, given `-` (or nothing), stdout."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help=help_text)
