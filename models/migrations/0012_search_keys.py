# Generated from a schema diff on 2026-11-30 12:23, with the keys filled in by hand (workshop/lookup.py):
# customers' name keys and birthday days, and the receivables' copies of their name keys (the folded
# name, and the pinyin initials that 0010 filled) and of the plate.
from peewee import *


def _fill_keys(db):
    from workshop.lookup import birthday_key, name_key
    rows = db.execute_sql("SELECT id, name, birthday FROM customer").fetchall()
    sql = f"UPDATE customer SET name_key = {db.param}, birthday_md = {db.param} WHERE id = {db.param}"
    cursor = db.cursor()
    for start in range(0, len(rows), 20_000):
        cursor.executemany(sql, [(name_key(name), birthday_key(birthday), cid)
                                 for cid, name, birthday in rows[start:start + 20_000]])
    db.execute_sql(
        "UPDATE open_balance SET "
        "name_key = (SELECT c.name_key FROM customer c WHERE c.id = open_balance.customer_id), "
        "initials = (SELECT c.initials FROM customer c WHERE c.id = open_balance.customer_id), "
        "plate = (SELECT v.plate FROM repair_order o JOIN vehicle v ON v.id = o.vehicle_id "
        "WHERE o.id = open_balance.order_id)")


def up(migrator, db):
    migrator.migrate(migrator.add_column('customer', 'name_key', CharField(null=True, max_length=200)))
    migrator.migrate(migrator.add_column('customer', 'birthday_md', CharField(null=True, max_length=5)))
    migrator.migrate(migrator.add_column('open_balance', 'name_key', CharField(null=True, max_length=200)))
    migrator.migrate(migrator.add_column('open_balance', 'initials', CharField(null=True, max_length=40)))
    migrator.migrate(migrator.add_column('open_balance', 'plate', CharField(null=True, max_length=12)))
    _fill_keys(db)  # before the indexes: one sort each instead of index updates row by row
    migrator.migrate(migrator.add_index('customer', ('name_key',)))
    migrator.migrate(migrator.add_index('customer', ('birthday_md',)))
    migrator.migrate(migrator.drop_index('callback', 'callback_due'))
    migrator.migrate(migrator.add_index('callback', ('due', 'status', 'window_end', 'done_at')))
    migrator.migrate(migrator.drop_index('answer', 'answer_call_id'))
    migrator.migrate(migrator.add_index('answer', ('call_id', 'score')))
    migrator.migrate(migrator.add_index('complaint', ('escalated_at',)))
    migrator.migrate(migrator.add_index('complaint', ('resolved_at',)))
    migrator.migrate(migrator.add_index('open_balance', ('name_key', 'since')))
    migrator.migrate(migrator.add_index('open_balance', ('initials', 'since')))
    migrator.migrate(migrator.add_index('open_balance', ('plate', 'since')))
    # A file with planner statistics (a bulk-loaded shop) gets them for the new indexes too: without,
    # SQLite would weigh them with its defaults against measured ones.
    if isinstance(db, SqliteDatabase) and db.execute_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        for table in ("customer", "open_balance", "complaint", "callback", "answer"):
            db.execute_sql(f"ANALYZE {table}")


def down(migrator, db):
    migrator.migrate(migrator.drop_index('open_balance', 'open_balance_plate_since'))
    migrator.migrate(migrator.drop_index('open_balance', 'open_balance_initials_since'))
    migrator.migrate(migrator.drop_index('open_balance', 'open_balance_name_key_since'))
    migrator.migrate(migrator.drop_index('callback', 'callback_due_status_window_end_done_at'))
    migrator.migrate(migrator.add_index('callback', ('due',)))
    migrator.migrate(migrator.drop_index('answer', 'answer_call_id_score'))
    migrator.migrate(migrator.add_index('answer', ('call_id',)))
    migrator.migrate(migrator.drop_index('complaint', 'complaint_resolved_at'))
    migrator.migrate(migrator.drop_index('complaint', 'complaint_escalated_at'))
    migrator.migrate(migrator.drop_index('customer', 'customer_name_key'))
    migrator.migrate(migrator.drop_index('customer', 'customer_birthday_md'))
    migrator.migrate(migrator.drop_column('open_balance', 'plate'))
    migrator.migrate(migrator.drop_column('open_balance', 'initials'))
    migrator.migrate(migrator.drop_column('open_balance', 'name_key'))
    migrator.migrate(migrator.drop_column('customer', 'birthday_md'))
    migrator.migrate(migrator.drop_column('customer', 'name_key'))
