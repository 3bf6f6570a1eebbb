"""`python -m plantui` runs the same command line as the `plantui` script."""

from plantui.cli.main import main

main()
