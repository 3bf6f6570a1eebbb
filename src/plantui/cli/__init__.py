"""The command line: click commands over the store and io services. Run `plantui --help`."""
