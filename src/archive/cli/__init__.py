"""The command line (`archive`): a thin mirror over the core (archive.service and the stages).

    base.py     the context, the group (errors and usage in the user's language), logging
    main.py     import, export, search, check, reindex, serve, demo
    edit.py     corrections, the review queue, the unit registry
    reports.py  report, coverage, units by year
    users.py    accounts of the web interface

The group is `archive.cli.main.cli`, the entry point `archive.cli.main:main`. This package imports
nothing itself, so `python -m archive.cli.main` runs main.py once, without runpy's warning that it
was imported already."""
