"""The command line (`cohortdesk --help`): one module per command group."""

from cohortdesk.cli.main import main

__all__ = ["main"]
