"""The `plantui` command group: its global flags, error handling, and the commands' registry.

The options every command sees are in `plantui.cli.options`. Store and io modules are imported inside
commands, so `plantui --help` and the TUI's first frame do not pay for SQLAlchemy.
"""

from __future__ import annotations

import importlib
import os
import sys
from datetime import date

import click

from plantui import __version__
from plantui.cli.options import DATE, Options, param_name
from plantui.domain.errors import InputError, PlantuiError, StoreError

# Where each command lives. A module is imported only when one of its commands is asked for, so
# `plantui` alone (the workbench, whose first frame is timed) imports none of them; a test holds this
# table to the modules' COMMANDS.
COMMAND_MODULES = {
    "demo": "plan_commands",
    "import": "plan_commands",
    "export": "plan_commands",
    "list": "action_commands",
    "set": "action_commands",
    "edit": "edit_command",
    "history": "action_commands",
    "undo": "action_commands",
    "redo": "action_commands",
    "check": "check_command",
    "meeting": "meeting_commands",
    "measure": "measure_commands",
    "report": "report_commands",
    "changes": "report_commands",
    "copy": "copy_command",
    "backup": "backup_commands",
    "restore": "backup_commands",
    "view": "view_commands",
    "lead": "lead_commands",
    "chase": "lead_commands",
    "round": "round_commands",
    "evidence": "evidence_commands",
    "impact": "evidence_commands",
    "checkout": "replica_commands",
    "sync": "replica_commands",
    "conflicts": "replica_commands",
}


def _not_text_at(value: str) -> int | None:
    """Where `value` holds a character no UTF-8 text has, else None.

    On POSIX, argument bytes that are not UTF-8 reach Python as lone surrogates ('caf\\xe9' arrives
    as 'caf\\udce9'); stored, printed or put in a URI they end in a UnicodeEncodeError.
    """
    for index, char in enumerate(value):
        if "\ud800" <= char <= "\udfff":
            return index
    return None


def _is_path(param: click.Parameter) -> bool:
    return isinstance(param.type, click.Path) or "PATH" in (getattr(param, "metavar", None) or "")


def _refuse_folder_name(param: click.Parameter, path: str) -> None:
    """A path option given no file name ('' reads as '.', the current folder; 'x/..' is a folder too)."""
    if not path.strip():
        raise InputError(f"{param_name(param)}: the name is empty; give a file name")
    if not os.path.basename(path).strip("."):
        raise InputError(f"{param_name(param)}: {path!r} is a folder; give a file name")


def _refuse_non_utf8(param: click.Parameter, value: object) -> None:
    """Refuse, in one line naming the option, a text or path value that is not UTF-8.

    Text (a note, a title, a name, a filter) is refused: it could be neither stored nor shown. A path
    is refused too, although POSIX allows it: plantui shows paths in its messages, keeps them in its
    settings and hands them to SQLite as `file:` URIs, all as text, so a name that is only bytes would
    work in some commands and break in others (Windows, where most plans live, has no such names).
    """
    for item in value if isinstance(value, tuple | list) else (value,):
        if item is None:
            continue
        if isinstance(param.type, click.Path):
            _refuse_folder_name(param, os.fspath(item))
        text = os.fspath(item) if isinstance(item, os.PathLike) else item
        if not isinstance(text, str):
            continue
        at = _not_text_at(text)
        if at is None:
            continue
        name = param_name(param)
        if _is_path(param) and "://" in text:  # a database URL may hold a password: never shown
            raise InputError(f"{name}: the URL is not valid UTF-8 text")
        if _is_path(param):
            shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise InputError(
                f"{name}: the path '{shown}' is not valid UTF-8; plantui keeps paths as text, so "
                "rename the file or folder (or link to it from a UTF-8 name)"
            )
        byte = ord(text[at]) - 0xDC00 if 0xDC80 <= ord(text[at]) <= 0xDCFF else None
        where = f"byte 0x{byte:02x}" if byte is not None else "an unpaired surrogate"
        raise InputError(f"{name} is not valid UTF-8 text ({where} at character {at + 1})")


def guard_text_params(command: click.Command) -> None:
    """Make every text or path parameter of `command` (and of its subcommands) refuse values that are
    not UTF-8, whichever command module defines it: one check for every option, present and future."""
    for param in command.params:
        if getattr(param, "_utf8_guarded", False):
            continue
        if not (isinstance(param.type, click.Path) or param.type is click.STRING):
            continue
        given = param.callback

        def checked(ctx, param, value, given=given):
            _refuse_non_utf8(param, value)
            return given(ctx, param, value) if given is not None else value

        param.callback = checked
        param._utf8_guarded = True  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            guard_text_params(sub)


def _os_error_line(error: OSError) -> str:
    import errno

    reason = "disk full" if error.errno == errno.ENOSPC else error.strerror or str(error)
    if error.filename is None:
        if error.errno in (errno.ENOSPC, errno.EIO, errno.EPIPE):  # a print to stdout or stderr failed
            return f"cannot write the output: {reason}"
        return f"the system refused: {reason}"
    name = os.fsdecode(error.filename) if not isinstance(error.filename, int) else str(error.filename)
    if len(name) > 120:
        name = f"{name[:60]}…{name[-40:]}"
    return f"{name}: {reason}"


def _say_one_line(ctx: click.Context, error: PlantuiError):
    from plantui.domain.text import visible_block

    # errors echo user input: shown, never obeyed (a list of problems keeps its lines)
    click.echo(f"plantui: {visible_block(str(error))}", err=True)
    ctx.exit(error.exit_code)


class PlantuiGroup(click.Group):
    """Turns every `PlantuiError` into one line on stderr and its exit status: never a traceback.
    Loads each command's module when the command is first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            for command in importlib.import_module(f"plantui.cli.{module}").COMMANDS:
                guard_text_params(command)
                self.add_command(command)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # the global options are read before `invoke`: their errors need the same one line
        try:
            return super().parse_args(ctx, args)
        except PlantuiError as error:
            _say_one_line(ctx, error)
            raise  # not reached: ctx.exit raises

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlantuiError as error:
            _say_one_line(ctx, error)
        except BrokenPipeError:
            raise  # `plantui list | head`: `main` ends quietly
        except OSError as error:
            # The system refused a file: a name too long, a folder that is not there, no permission.
            # The commands word the refusals they expect; this is one line for the rest.
            _say_one_line(ctx, StoreError(_os_error_line(error)))
        except KeyboardInterrupt:
            click.echo("plantui: interrupted", err=True)
            ctx.exit(130)


@click.group(
    cls=PlantuiGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db",
    metavar="PATH|URL",
    envvar="PLANTUI_DB",
    help="The plan store (default: your data folder).",
)
@click.option("--today", type=DATE, help="Treat this day as today (for due and overdue).")
@click.option(
    "--author",
    metavar="NAME",
    help="Who is recording changes (default: the database user on a server; else saved setting or login).",
)
@click.option(
    "--as-at",
    "as_at",
    type=DATE,
    help="Show the plan as it stood at the end of this day, read-only (today defaults to it).",
)
@click.version_option(__version__, prog_name="plantui")
@click.pass_context
def cli(
    ctx: click.Context, db: str | None, today: date | None, author: str | None, as_at: date | None
) -> None:
    """plantui: run an improvement plan from the keyboard.

    With no command, opens the plan in the terminal workbench (loading the bundled sample plan into a
    database that does not exist yet).
    """
    ctx.obj = Options(db=db, today=today or as_at or date.today(), author=author, as_at=as_at)
    if ctx.invoked_subcommand is None:
        from plantui.cli.open_tui import open_tui

        open_tui(ctx.obj)


guard_text_params(cli)


def main() -> None:
    """The `plantui` console script: run the command, then end the process at once (see
    `plantui.cli.process_end`)."""
    from plantui.cli.process_end import end_process

    try:
        cli.main(prog_name="plantui")
    except BrokenPipeError:  # `plantui list | head`
        sys.stderr.close()
        end_process(0)
    except SystemExit as done:  # click's standalone mode always ends with sys.exit
        end_process(done.code)
    end_process(0)
