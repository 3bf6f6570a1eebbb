"""The plan store: tables, the database connection and migrations, and the services that read and
change the plan. Every caller (CLI, TUI, importers) goes through these services."""
