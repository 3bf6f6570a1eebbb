"""`plantui view save|list|show|delete`: the plan's saved views from the shell.

A view is a name for a filter, a tree node and a sort (`plantui.domain.saved_views`), kept in the
plan's store, so the workbench (`v`, the palette) and everyone sharing the plan see the same ones.
`plantui list --view NAME` lists the actions a view shows.
"""

from __future__ import annotations

import click


def _view_data(view) -> dict:
    return {"name": view.name, "filter": view.filter, "node": view.node, "sort": view.sort}


@click.group(short_help="Save, list, show and delete named views of the plan.")
def view() -> None:
    """Named views: a filter, a tree node and a sort, kept with the plan."""


# A filter may start with a `-` term (`-rag:complete`): taken as EXPR, not as an unknown option.
@view.command(
    short_help="Save a filter, node and sort under a name.", context_settings={"ignore_unknown_options": True}
)
@click.argument("name")
@click.argument("expression", required=False, default="", metavar="[EXPR]")
@click.option("--node", default="", metavar="REF", help="Narrow it to a theme, area or objective (1.2).")
@click.option(
    "--sort",
    default="",
    metavar="KEY[:desc]",
    help="ref, title, leads, status, milestone, due, updated or worst (status worst first, then the rest).",
)
@click.option("--replace", is_flag=True, help="Replace the view of that name (any case).")
@click.pass_obj
def save(options, name: str, expression: str, node: str, sort: str, replace: bool) -> None:
    """Save the filter EXPR (as for `plantui list --filter`) as the view NAME."""
    from plantui.cli.render import safe
    from plantui.domain.saved_views import SavedView
    from plantui.store.saved_views import save_view

    if expression.startswith("--"):
        raise click.UsageError(f"No such option: {expression.split('=')[0]}")
    options.refuse_as_at("plantui view save")
    database = options.open(create=False)
    try:
        kept, replaced = save_view(
            database, SavedView(name, expression, node, sort), replace=replace, author=options.who(database)
        )
    finally:
        database.close()
    click.echo(f"{'Replaced' if replaced else 'Saved'} view {safe(kept.name)!r}: {kept.describe()}")


@view.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def list_(options, as_json: bool) -> None:
    """Every view of the plan, in the order the workbench numbers them."""
    from plantui.cli.render import json_text, safe
    from plantui.store.saved_views import list_views

    database = options.open(create=False)
    try:
        views = list_views(database)
    finally:
        database.close()
    if as_json:
        click.echo(json_text([_view_data(v) for v in views]))
        return
    for number, saved in enumerate(views, start=1):
        click.echo(f"{number:>2}  {safe(saved.name)}  ·  {saved.describe()}")
    if not views:
        click.echo("No saved views: `plantui view save NAME EXPR` makes one", err=True)


@view.command(short_help="What a view shows: its filter, node and sort.")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def show(options, name: str, as_json: bool) -> None:
    """The view NAME (any case); `plantui list --view NAME` lists its actions."""
    from plantui.cli.render import json_text, safe
    from plantui.domain.saved_views import sort_words
    from plantui.store.saved_views import get_view

    database = options.open(create=False)
    try:
        saved = get_view(database, name)
    finally:
        database.close()
    if as_json:
        click.echo(json_text(_view_data(saved)))
        return
    key = saved.sort_key
    click.echo(f"name    {safe(saved.name)}")
    click.echo(f"filter  {safe(saved.filter) or '(none: every action)'}")
    click.echo(f"node    {saved.node or '(the whole plan)'}")
    click.echo(f"sort    {'plan order' if key is None else sort_words(key, saved.sort_reversed)}")


@view.command(short_help="Delete a view.")
@click.argument("name")
@click.pass_obj
def delete(options, name: str) -> None:
    """Delete the view NAME (any case)."""
    from plantui.cli.render import safe
    from plantui.store.saved_views import delete_view

    options.refuse_as_at("plantui view delete")
    database = options.open(create=False)
    try:
        gone = delete_view(database, name, author=options.who(database))
    finally:
        database.close()
    click.echo(f"Deleted view {safe(gone.name)!r}")


COMMANDS = [view]
