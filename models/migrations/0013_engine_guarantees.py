# Written by hand on 2026-11-30: the same guarantees on both engines (issue 19).
# - Stock on hand can never be negative, whatever path writes it (SQLite: triggers; PostgreSQL: a CHECK).
# - PostgreSQL gets the immutability triggers SQLite has had since 0005 (settled records and the lines of
#   a settled order), in PL/pgSQL, with the same messages.
# - PostgreSQL's change feed (workshop/pg_feed.py): event ids are taken when a row is inserted, not when
#   its transaction commits, so a reader going by "id > last seen" could pass an event committed late,
#   for good. Each event row therefore also gets a feed position when its transaction commits: a
#   deferred trigger takes a lock (held until the commit is visible) and numbers the transaction's
#   events from a sequence, so positions become visible in order and a reader that follows them never
#   misses one. The same trigger sends the NOTIFY that wakes the terminals, delivered at commit.
# Statements for PostgreSQL double a literal %: the driver reads % as a placeholder.
from peewee import SqliteDatabase

SETTLED_TABLES = ("settlement", "payment")
ORDER_LINE_TABLES = ("job_line", "part_line", "fee_line")
FEED_LOCK = 7490  # first key of pg_advisory_xact_lock(FEED_LOCK, hashtext(schema)): one feed per schema
FEED_KEEP = 100_000  # positions kept; every 10,000th commit drops older ones (readers are milliseconds behind)


def up(migrator, db):
    if isinstance(db, SqliteDatabase):
        for event in ("INSERT", "UPDATE"):
            db.execute_sql(
                f"CREATE TRIGGER IF NOT EXISTS part_on_hand_not_negative_{event.lower()} BEFORE {event} ON part "
                "WHEN NEW.on_hand < 0 BEGIN SELECT RAISE(ABORT, 'stock on hand can never be negative'); END")
        return

    db.execute_sql("ALTER TABLE part ADD CONSTRAINT part_on_hand_not_negative CHECK (on_hand >= 0)")

    db.execute_sql("""
        CREATE OR REPLACE FUNCTION workshop_never_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '%% rows are never changed: record a reversal', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END $$""")
    for table in SETTLED_TABLES:
        db.execute_sql(f"CREATE TRIGGER {table}_never_changed BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION workshop_never_changed()")

    # Lines of a settled order; a delivered order's lines are guarded by the services only (as on SQLite).
    db.execute_sql("""
        CREATE OR REPLACE FUNCTION workshop_settled_order_read_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT state FROM repair_order WHERE id = OLD.order_id) = 'settled' THEN
                RAISE EXCEPTION 'a settled order is read-only: void the settlement first'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;
        END $$""")
    for table in ORDER_LINE_TABLES:
        db.execute_sql(f"CREATE TRIGGER {table}_settled_read_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION workshop_settled_order_read_only()")

    db.execute_sql("CREATE TABLE event_feed (position BIGSERIAL PRIMARY KEY, "
                   "event_id INTEGER NOT NULL REFERENCES event (id))")
    db.execute_sql(f"""
        CREATE OR REPLACE FUNCTION workshop_event_feed() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            taken bigint;
        BEGIN
            PERFORM pg_advisory_xact_lock({FEED_LOCK}, hashtext(current_schema()));
            INSERT INTO event_feed (event_id) VALUES (NEW.id) RETURNING position INTO taken;
            IF taken %% 10000 = 0 THEN
                DELETE FROM event_feed WHERE position <= taken - {FEED_KEEP};
            END IF;
            PERFORM pg_notify('workshop_events_' || current_schema(), '');
            RETURN NULL;
        END $$""")
    db.execute_sql("CREATE CONSTRAINT TRIGGER event_feed_at_commit AFTER INSERT ON event "
                   "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION workshop_event_feed()")


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for event in ("insert", "update"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS part_on_hand_not_negative_{event}")
        return
    db.execute_sql("DROP TRIGGER IF EXISTS event_feed_at_commit ON event")
    db.execute_sql("DROP TABLE IF EXISTS event_feed")
    db.execute_sql("DROP FUNCTION IF EXISTS workshop_event_feed()")
    for table in ORDER_LINE_TABLES:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {table}_settled_read_only ON {table}")
    for table in SETTLED_TABLES:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {table}_never_changed ON {table}")
    db.execute_sql("DROP FUNCTION IF EXISTS workshop_settled_order_read_only()")
    db.execute_sql("DROP FUNCTION IF EXISTS workshop_never_changed()")
    db.execute_sql("ALTER TABLE part DROP CONSTRAINT IF EXISTS part_on_hand_not_negative")
