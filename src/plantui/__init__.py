"""plantui: a keyboard-first terminal workbench for running an improvement plan."""

__version__ = "0.1.0"
