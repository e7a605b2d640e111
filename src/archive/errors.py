"""Domain exceptions. The core raises these; only the CLI and HTTP edges turn them into exit codes
and messages (errors.exit_code for the CLI; the web words them in Chinese from `kind`/`params`)."""


class ArchiveError(Exception):
    """Base class: every expected failure carries a one-line, user-facing message, an exit code for
    the CLI, and optionally a `kind` and `params` from which an edge may word it itself."""
    exit_code = 2
    kind = "error"

    def __init__(self, message: str = "", kind: str | None = None, **params):
        super().__init__(message)
        if kind:
            self.kind = kind
        self.params = params


class RefusedPDF(ArchiveError):
    """The file cannot be imported (not a PDF, encrypted, broken, too large, no text...)."""
    exit_code = 1
    kind = "refused"


class DuplicateIssue(ArchiveError):
    """Another file already holds this issue id; the user must ask to replace it."""
    exit_code = 1
    kind = "duplicate"


class DataFolderError(ArchiveError):
    """The data folder is missing, unreadable or from an incompatible version."""
    kind = "data_folder"
