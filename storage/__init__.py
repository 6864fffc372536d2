"""All SQL of the bot: the database connection, migrations and query functions."""

from storage.db import Database, open_database

__all__ = ["Database", "open_database"]
