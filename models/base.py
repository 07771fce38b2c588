"""The base every model inherits: bound to the database proxy, snake_case table names."""
from decimal import Decimal

from peewee import DecimalField, Model

from models.db import db, is_postgres, is_sqlite


_BUILT: dict[tuple, object] = {}


def built_once(key: tuple, build):
    """What ``build()`` returns for this key and database type, built the first time only. Peewee
    takes 0.2-0.6 ms to turn a query into SQL, three quarters of a simple lookup or write, and writers
    do that while the other terminals wait for the write lock."""
    key = (type(db.obj),) + key
    built = _BUILT.get(key)
    if built is None:
        built = _BUILT[key] = build()
    return built


class Prepared:
    """A query whose SQL is built once: ``build`` is given one stand-in per argument (an id, a count
    or a text), and each run binds the real values where the stand-ins were; the query's constants
    stay as built. Arguments are used as given: ``build`` must not compute with them."""

    def __init__(self, name: str, build):
        self.name = name
        self.build = build

    def _compile(self, kinds: tuple[type, ...]):
        standins = [-(2**62) - i if kind is int else f"\x00stand-in {i}\x00" for i, kind in enumerate(kinds)]
        sql, params = self.build(*standins).sql()
        slots = [next((i for i, standin in enumerate(standins) if type(p) is type(standin) and p == standin), None)
                 for p in params]
        return sql, params, slots

    def execute(self, *args: int | str):
        kinds = tuple(int if isinstance(arg, int) else str for arg in args)
        sql, params, slots = built_once(("prepared", self.name, kinds), lambda: self._compile(kinds))
        return db.execute_sql(sql, [p if s is None else args[s] for p, s in zip(params, slots)])


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False

    @classmethod
    def by_id(cls, pk, *, lock: bool = False):
        """The row with this primary key, or None. Its SELECT is built once per model (see built_once),
        and the row becomes a model without Peewee's cursor wrapper, which reads the cursor's column
        names anew for every query (0.1 ms for a 40-column row).

        ``lock``: read it to change it, inside a write transaction. PostgreSQL locks the row (FOR
        UPDATE) until the transaction ends, so another writer of the same row waits and then reads
        what this one committed; SQLite's write transactions hold the whole database already."""
        fields = cls._meta.sorted_fields
        lock = lock and db.obj.for_update
        sql = built_once((cls, "by_id", lock), lambda: (
            cls.select(*fields).where(cls._meta.primary_key == 0).sql()[0] + (" FOR UPDATE" if lock else "")))
        row = db.execute_sql(sql, (pk,)).fetchone()
        if row is None:
            return None
        # (Its fields count as changed, as on a model made by hand: nothing here saves only changed fields.)
        return cls(__no_default__=1, **{f.name: f.python_value(value) for f, value in zip(fields, row)})

    @classmethod
    def insert_row(cls, **values) -> int:
        """INSERT one row and return its id. On SQLite and PostgreSQL, when every column with a default is
        given, the statement is built once per set of columns; otherwise (another engine, or defaults to
        fill) Peewee builds it."""
        meta = cls._meta
        if not _built_here() or any(field.name not in values for field in meta.defaults):
            return cls.insert(**values).execute()
        fields = [meta.fields[name] for name in values]
        sql = built_once((cls, "insert", tuple(values)), lambda: "INSERT INTO {} ({}) VALUES ({}){}".format(
            _quote(meta.table_name), ", ".join(_quote(f.column_name) for f in fields),
            ", ".join([db.param] * len(fields)),
            "" if is_sqlite() else f" RETURNING {_quote(meta.primary_key.column_name)}"))
        cursor = db.execute_sql(sql, [f.db_value(values[f.name]) for f in fields])
        return cursor.lastrowid if is_sqlite() else cursor.fetchone()[0]

    @classmethod
    def update_versioned(cls, pk, version: int, changes: dict) -> int:
        """UPDATE the row with this key only if its ``version`` is still ``version``, and bump it;
        returns the rows changed (0: someone else changed it first). Built once per set of columns
        (on SQLite and PostgreSQL; Peewee builds it for another engine)."""
        meta = cls._meta
        if not _built_here():
            return (cls.update({cls.version: cls.version + 1, **changes})
                    .where((meta.primary_key == pk) & (cls.version == version)).execute())
        fields = [meta.fields[name] for name in changes]
        mark = db.param
        sql = built_once((cls, "update_versioned", tuple(changes)), lambda: (
            "UPDATE {t} SET {v} = {v} + 1, {sets} WHERE {pk} = {m} AND {v} = {m}".format(
                t=_quote(meta.table_name), v=_quote(meta.fields["version"].column_name),
                sets=", ".join(f"{_quote(f.column_name)} = {mark}" for f in fields),
                pk=_quote(meta.primary_key.column_name), m=mark)))
        params = [f.db_value(changes[f.name]) for f in fields] + [pk, version]
        return db.execute_sql(sql, params).rowcount


def _built_here() -> bool:
    """The engines whose statements this module writes by hand (their quoting and placeholders)."""
    return is_sqlite() or is_postgres()


def MoneyField(**kwargs):
    """Money in the shop's currency: exact decimal, two places."""
    kwargs.setdefault("default", Decimal("0.00"))
    return DecimalField(max_digits=14, decimal_places=2, auto_round=False, **kwargs)


def QtyField(**kwargs):
    """A quantity of a part: whole pieces or litres to three places."""
    kwargs.setdefault("default", Decimal("0"))
    return DecimalField(max_digits=12, decimal_places=3, auto_round=False, **kwargs)


def HoursField(**kwargs):
    kwargs.setdefault("default", Decimal("0"))
    return DecimalField(max_digits=8, decimal_places=2, auto_round=False, **kwargs)


def PercentField(**kwargs):
    kwargs.setdefault("default", Decimal("0"))
    return DecimalField(max_digits=5, decimal_places=2, auto_round=False, **kwargs)
