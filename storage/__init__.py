"""All SQL of the bot: the database connection, migrations and query functions."""

from storage.db import Database, DatabaseUnavailable, open_database

__all__ = ["Database", "DatabaseUnavailable", "open_database"]
