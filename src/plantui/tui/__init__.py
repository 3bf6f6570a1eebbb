"""The Textual workbench. Talks to the plan only through `plantui.store` services, never through SQL.

`app` (the App: keys, theme, first screen) hands its non-visual work to `session` (store, plan in
memory, write queue, watcher, as-at, exports) and tells screens with the messages in `messages`.
Full screens are in `screens/`, modal dialogs in `dialogs/`, reusable widgets in `widgets/`, and
every stylesheet in `styles/`. Screens reach the app only through the `workbench.Workbench`
protocol, so nothing in this package imports the app back.
"""
