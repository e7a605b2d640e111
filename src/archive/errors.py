"""Domain errors, as data. Every expected failure has a `Kind`: one closed list, each member
carrying the HTTP status the web answers with and the exit code the command line ends with (as
OCRmyPDF's ExitCode); its value is the key of its wording in the message catalog (messages.py).
The core raises these; only the CLI and HTTP edges turn them into messages and codes."""
from __future__ import annotations

from enum import Enum

REFUSED, USAGE = 1, 2  # exit codes: the input was refused (a file, a clash) / the request was malformed


class Kind(str, Enum):
    """A kind of failure: value (the message key), HTTP status, exit code."""
    status: int
    exit_code: int

    def __new__(cls, value: str, status: int = 400, exit_code: int = USAGE):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.status, obj.exit_code = status, exit_code
        return obj

    def __str__(self) -> str:
        return self.value

    # --- a file refused at import (ingest.pdf, ingest.limits, ingest.parse, service.importing/jobs)
    EMPTY = "empty", 422, REFUSED
    NOT_PDF = "not_pdf", 422, REFUSED
    NEEDS_PASSWORD = "needs_password", 422, REFUSED
    WRONG_PASSWORD = "wrong_password", 422, REFUSED
    BROKEN = "broken", 422, REFUSED
    BROKEN_PAGE = "broken_page", 422, REFUSED
    NESTING = "nesting", 422, REFUSED
    UNSUPPORTED = "unsupported", 422, REFUSED
    NO_PAGES = "no_pages", 422, REFUSED
    TOO_MANY_PAGES = "too_many_pages", 422, REFUSED
    PAGE_SIZE = "page_size", 422, REFUSED
    TOO_LARGE = "too_large", 413, REFUSED
    TIMEOUT = "timeout", 422, REFUSED
    SCAN_WITHOUT_OCR = "scan_without_ocr", 422, REFUSED
    OCR_FOUND_NOTHING = "ocr_found_nothing", 422, REFUSED
    OUTLINES_WITHOUT_OCR = "outlines_without_ocr", 422, REFUSED
    NO_TEXT = "no_text", 422, REFUSED
    INFLATE_BOMB = "inflate_bomb", 422, REFUSED
    INFLATE_TOTAL = "inflate_total", 422, REFUSED
    IMAGE_PIXELS = "image_pixels", 422, REFUSED
    TOO_MANY_OBJECTS = "too_many_objects", 422, REFUSED
    MEMORY = "memory", 422, REFUSED
    WORKER_STOPPED = "worker_stopped", 422, REFUSED
    UNREADABLE = "unreadable", 422, REFUSED
    INTERNAL = "internal", 500, REFUSED
    DUPLICATE = "duplicate", 409, REFUSED
    CONVERTER_MISSING = "converter_missing", 422, REFUSED  # a Word/WPS file, and no LibreOffice (service.converting)
    CONVERT_FAILED = "convert_failed", 422, REFUSED
    # --- the data folder and the search index
    DATA_FOLDER = "data_folder", 503, USAGE
    INDEX_UNAVAILABLE = "index_unavailable", 503, REFUSED
    # --- page images (web.pageimages, web.renderpool)
    PAGE_TOO_LARGE = "page_too_large", 422, REFUSED
    RENDER_TIMEOUT = "render_timeout", 422, REFUSED
    RENDER_FAILED = "render_failed", 422, REFUSED
    RENDER_BUSY = "render_busy", 503, REFUSED
    PAGE_IMAGE_PIXELS = "page_image_pixels", 422, REFUSED
    # --- the query language (search.query) and search options
    QUOTE_CLOSES_NOTHING = "quote_closes_nothing"
    QUOTE_UNCLOSED = "quote_unclosed"
    FIELD_EMPTY = "field_empty"
    UNKNOWN_FIELD = "unknown_field"
    EXCLUDE_NOTHING = "exclude_nothing"
    OR_ALONE = "or_alone"
    BAD_YEAR = "bad_year"
    BAD_DATE = "bad_date"
    NO_SUCH_DAY = "no_such_day"
    BACKWARDS = "backwards"
    FROM_AFTER_TO = "from_after_to"
    BAD_SORT = "bad_sort"
    BAD_PAGING = "bad_paging"
    EMPTY_QUERY = "empty_query"
    QUERY_TOO_LONG = "query_too_long"
    TOO_MANY_TERMS = "too_many_terms"
    TOO_MANY_PHRASES = "too_many_phrases"
    TOO_MANY_RANGES = "too_many_ranges"
    VALUE_TOO_LONG = "value_too_long"
    BAD_COLLECTION = "bad_collection"
    # --- reports (report.build, web.reports)
    UNKNOWN_UNIT = "unknown_unit"
    UNKNOWN_TOPIC = "unknown_topic"
    BAD_FORMAT = "bad_format"
    REPORT_TOO_LARGE = "report_too_large"
    # --- corrections (service.correcting, store.correction_records, store.site_units)
    NOT_FOUND = "not_found", 404
    CONFLICT = "conflict", 409, REFUSED
    STALE_FORM = "stale_form", 409, REFUSED
    EMPTY_TEXT = "empty_text"
    LONG_TEXT = "long_text"
    EMPTY_UNIT = "empty_unit"
    LONG_UNIT = "long_unit"
    EMPTY_TOPIC = "empty_topic"
    LONG_TOPIC = "long_topic"
    TOPIC_EXISTS = "topic_exists"
    NO_PERSON = "no_person", 404
    UNIT_PRESENT = "unit_present"
    UNIT_ABSENT = "unit_absent"
    SPLIT_AT = "split_at"
    SPLIT_MARKS = "split_marks"
    NO_NEXT = "no_next"
    NOT_HIDDEN = "not_hidden"
    REVERTED = "reverted"
    UNCHANGED = "unchanged"
    BAD_FIELD = "bad_field"
    BAD_OP = "bad_op"
    BAD_KIND = "bad_kind"
    LONG_FIELD = "long_field"
    EMPTY_FIELD = "empty_field"
    NOT_NUMBER = "not_number"
    OUT_OF_RANGE = "out_of_range"
    BAD_ISSUE_DATE = "bad_issue_date"
    # --- backups (store.backup, service.backup)
    NOT_A_BACKUP = "not_a_backup", 422, REFUSED
    BACKUP_DAMAGED = "backup_damaged", 422, REFUSED
    BACKUP_INCOMPLETE = "backup_incomplete", 503, REFUSED
    TARGET_NOT_EMPTY = "target_not_empty", 409, USAGE
    # --- accounts (store.accounts)
    BAD_NAME = "bad_name"
    BAD_ROLE = "bad_role"
    BAD_PASSWORD = "bad_password"
    DUPLICATE_USER = "duplicate_user", 409, REFUSED
    UNKNOWN_USER = "unknown_user", 404, REFUSED


class ArchiveError(Exception):
    """An expected failure: a one-line English message (logs, `str()`), a `Kind` and the `params`
    its wording in the catalog takes. `kind` may be given as its value ("not_found"); an unknown
    kind is a programming error (ValueError)."""
    kind: Kind = Kind.INTERNAL

    def __init__(self, message: str = "", kind: Kind | str | None = None, **params):
        super().__init__(message)
        if kind is not None:
            self.kind = Kind(kind)
        self.params = params

    @property
    def exit_code(self) -> int:
        return self.kind.exit_code

    @property
    def status(self) -> int:
        return self.kind.status


class RefusedPDF(ArchiveError):
    """The file cannot be imported (not a PDF, encrypted, broken, too large, no text...)."""


class DuplicateIssue(ArchiveError):
    """Another file already holds this issue id; the user must ask to replace it."""
    kind = Kind.DUPLICATE


class DataFolderError(ArchiveError):
    """The data folder is missing, unreadable or from an incompatible version."""
    kind = Kind.DATA_FOLDER


class IndexUnavailable(ArchiveError):
    """The search index is missing, locked, or from another version."""
    kind = Kind.INDEX_UNAVAILABLE


class QueryError(ArchiveError):
    """The query cannot be understood, or is past a bound (what and where, in `params`)."""


class ReportError(ArchiveError):
    """A report that cannot be made as asked."""


class NotFound(ArchiveError):
    kind = Kind.NOT_FOUND


class BadEdit(ArchiveError):
    """A correction that cannot be made as given (its kind says why)."""


class Conflict(ArchiveError):
    """The change would collide with what is there (another issue's id, an edit made meanwhile)."""
    kind = Kind.CONFLICT


class StaleForm(Conflict):
    """The item changed since the form was loaded: nothing was changed (both versions attached)."""
    kind = Kind.STALE_FORM


class AccountError(ArchiveError):
    """An account operation that cannot be done, or a name, role or password not acceptable."""


class BackupError(ArchiveError):
    """A backup that cannot be taken, or a file that is no whole backup, or a restore that would
    overwrite a data folder unasked."""


class PageImageError(ArchiveError):
    """A page that cannot be drawn (too large, too slow, broken) or no renderer free."""
