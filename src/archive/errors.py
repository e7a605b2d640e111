"""Domain exceptions. The core raises these; only the CLI and HTTP edges turn them into
exit codes and one-line messages."""


class ArchiveError(Exception):
    """Base class: every expected failure carries a one-line, user-facing message."""


class RefusedPDF(ArchiveError):
    """The file cannot be imported (not a PDF, encrypted, broken, too large, no text...)."""


class DuplicateIssue(ArchiveError):
    """Another file already holds this issue id; the user must ask for --replace."""


class DataFolderError(ArchiveError):
    """The data folder is missing, unreadable or from an incompatible version."""
