"""The workbench's screens, one module each: the main screen, the editor, help and go-to-ref."""
