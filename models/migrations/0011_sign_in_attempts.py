# Generated from a schema diff on 2026-11-30 12:09: sign-in attempts for the PIN back-off (workshop/accounts.py).
from peewee import *

def up(migrator, db):
    class Staff(Model):
        class Meta:
            database = db
            table_name = 'staff'

    class SignInAttempt(Model):
        staff = ForeignKeyField(Staff, on_delete='CASCADE', index=False)
        source = CharField(max_length=120)
        at = DateTimeField()
        ok = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'sign_in_attempt'
            indexes = ((('staff', 'source', 'at'), False), (('source', 'at'), False), (('at',), False))
    db.create_tables([SignInAttempt])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('sign_in_attempt'))
