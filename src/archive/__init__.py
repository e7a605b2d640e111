"""archive: search and digitization of the back catalogue of 《中铝股份党群工作》."""

__version__ = "0.1.0"
