# Written by hand on 2026-11-30 (issue 17): a language per staff member; Chinese names beside the English
# ones of reference data (bays, operations, parts, checklist items, call scripts); pinyin initials
# (拼音首字母) of customers, operations and parts in indexed columns, so `cxm` finds 陈小明 by an index range.
# Existing rows are filled here: initials from every name; Chinese names where the English name is one
# of the demo catalog's (a shop's own catalog keeps its English name until someone gives it a Chinese one).
from peewee import *

BATCH = 5000


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('staff', 'language', CharField(max_length=8, null=True)),
        migrator.add_column('customer', 'initials', CharField(max_length=40, null=True, index=True)),
        migrator.add_column('bay', 'name_zh', CharField(max_length=40, null=True)),
        migrator.add_column('operation', 'name_zh', CharField(max_length=100, null=True)),
        migrator.add_column('operation', 'initials', CharField(max_length=40, null=True, index=True)),
        migrator.add_column('part', 'name_zh', CharField(max_length=100, null=True)),
        migrator.add_column('part', 'initials', CharField(max_length=40, null=True, index=True)),
        migrator.add_column('checklist_item', 'text_zh', CharField(max_length=120, null=True)),
        migrator.add_column('question', 'text_zh', CharField(max_length=160, null=True)),
    )
    fill(db)


def fill(db):
    from seeds import chinese
    from workshop.pinyin import initials

    p = db.param

    def update_many(sql, rows):
        if rows:
            db.connection().cursor().executemany(sql, rows)

    with db.atomic():
        last = 0
        while True:  # customers in batches: the large shop has 100,000
            rows = db.execute_sql(f"SELECT id, name, kind FROM customer WHERE id > {p} ORDER BY id LIMIT {BATCH}",
                                  (last,)).fetchall()
            if not rows:
                break
            update_many(f"UPDATE customer SET initials = {p} WHERE id = {p}",
                        [(initials(name, person=kind == "private"), cid) for cid, name, kind in rows])
            last = rows[-1][0]
        for table, names in (("operation", chinese.OPERATIONS), ("part", chinese.PARTS)):
            rows = db.execute_sql(f"SELECT id, name FROM {table}").fetchall()
            updates = []
            for rid, name in rows:
                zh = chinese.chinese_name(names, name)
                updates.append((zh, initials(zh or name), rid))
            update_many(f"UPDATE {table} SET name_zh = {p}, initials = {p} WHERE id = {p}", updates)
        rows = db.execute_sql("SELECT id, name FROM bay").fetchall()
        update_many(f"UPDATE bay SET name_zh = {p} WHERE id = {p}",
                    [(chinese.chinese_name(chinese.BAYS, name), rid) for rid, name in rows])
        for table, names in (("checklist_item", chinese.CHECKLIST), ("question", chinese.QUESTIONS)):
            rows = db.execute_sql(f"SELECT id, text FROM {table}").fetchall()
            update_many(f"UPDATE {table} SET text_zh = {p} WHERE id = {p}",
                        [(names[text], rid) for rid, text in rows if text in names])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('part', 'part_initials'),
        migrator.drop_index('operation', 'operation_initials'),
        migrator.drop_index('customer', 'customer_initials'),
        migrator.drop_column('question', 'text_zh'),
        migrator.drop_column('checklist_item', 'text_zh'),
        migrator.drop_column('part', 'initials'),
        migrator.drop_column('part', 'name_zh'),
        migrator.drop_column('operation', 'initials'),
        migrator.drop_column('operation', 'name_zh'),
        migrator.drop_column('bay', 'name_zh'),
        migrator.drop_column('customer', 'initials'),
        migrator.drop_column('staff', 'language'),
    )
