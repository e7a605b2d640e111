"""Stage 7: the records (SQLite, the source of truth), the stored originals, the data folder, the
export contract and citations."""
from .datadir import DataDir
from .records import Records

__all__ = ["DataDir", "Records"]
