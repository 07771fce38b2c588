# Written by hand on 2026-12-01 (issue 17; renumbered 0019 after main's 0018): an event keeps what it says as a phrase
# (msgid and values, JSON) beside
# its English summary, so each reader sees it in their own language (workshop/phrase.py). A nullable
# column: instant on SQLite and PostgreSQL whatever the number of events, and older terminals still
# running keep writing events without it.
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('event', 'message', TextField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('event', 'message'))
