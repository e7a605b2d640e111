"""The command line (`archive`): a thin mirror over the core (archive.service and the stages).

    main.py     the group, import, export, search, check, reindex, serve, demo
    edit.py     corrections, the review queue, the unit registry
    reports.py  report, coverage, units by year
    users.py    accounts of the web interface"""
