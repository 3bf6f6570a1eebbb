"""The Textual workbench: screens, widgets, styles and commands. Talks to the plan only through
`plantui.store` services, never through SQL."""
