"""Widgets of the workbench, each reusable by the screens that need it."""
