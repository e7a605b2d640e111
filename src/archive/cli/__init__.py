"""The command line (`archive`): a thin mirror over the core (archive.service and the stages).

    base.py     the context, the group (errors and usage in the user's language), logging
    main.py     import, export, search, check, reindex, serve, demo
    edit.py     corrections, the review queue, the unit registry
    reports.py  report, coverage, units by year
    users.py    accounts of the web interface"""

from .main import cli  # noqa: E402  the group (`from archive.cli import cli`); the entry point is cli.main:main

__all__ = ["cli"]
