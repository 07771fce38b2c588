"""The ``workshop`` command: open (create, upgrade, fill) the database, then start the terminal."""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

# Only the standard library at the top (and the translations, which need nothing more): a start served
# by a warm process (workshop/warm.py) must not pay for importing the app. The app's modules are
# imported where they are used.
from workshop.i18n import _, ngettext


def default_db_path() -> Path:
    from platformdirs import user_data_dir
    return Path(os.environ.get("WORKSHOP_DB") or Path(user_data_dir("workshop", "workshop")) / "workshop.db")


def check_file(path: str | Path) -> None:
    """Refuse, before anything opens it, a database path this app must not use or cannot write: a folder,
    a missing folder, a file that is not SQLite, another application's SQLite database (opening it would
    turn it into a demo shop), a file or folder this login cannot write. Raises DatabaseFault."""
    from models.schema import file_kind
    from workshop.errors import DatabaseFault
    from workshop.i18n import _
    path = Path(path)
    if path.is_dir():
        raise DatabaseFault(_("{path} is a folder: give the database file's path (e.g. {example}).").format(
            path=path, example=path / "workshop.db"))
    if not path.parent.is_dir():
        raise DatabaseFault(_("The folder {folder} does not exist: check the path, or create the folder "
                              "first.").format(folder=path.parent))
    folder_writable = os.access(path.parent, os.W_OK)
    sidecars = [Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}.write-lock")]
    if (path.exists() and not os.access(path, os.W_OK)) or (not folder_writable and not (
            path.exists() and all(f.exists() and os.access(f, os.W_OK) for f in sidecars))):
        raise DatabaseFault(_("{path} can only be read by this login (read-only file or folder): nothing was "
                              "changed. SQLite needs to write the file and, beside it, its -wal, -shm and lock "
                              "files: ask whoever looks after the shop's computer for write access to the file and "
                              "its folder.").format(path=path))
    kind = file_kind(path)
    if kind == "not_sqlite":
        raise DatabaseFault(_("{path} is not a workshop database (it is not an SQLite database at all: a text or "
                              "other file?). It was left untouched: check the path.").format(path=path))
    if kind == "foreign":
        raise DatabaseFault(_("{path} is another application's database, not a workshop database. It was left "
                              "untouched: give the shop's database, or a new file to start a shop.").format(
            path=path))


def open_checked(path: str) -> list[str]:
    """Open the shop's database after checking it is one (or a new one), and upgrade it; the migrations
    applied. A PostgreSQL database that holds other tables is refused the same way as a foreign file."""
    from models import open_database
    from models.schema import migrate, open_kind
    from workshop.errors import DatabaseFault
    from workshop.i18n import _
    from workshop.faults import shown_target
    if "://" not in path:
        check_file(path)
    open_database(path)
    if "://" in path and open_kind() == "foreign":
        raise DatabaseFault(_("{path} holds another application's tables, not a workshop database. It was left "
                              "untouched.").format(path=shown_target(path)))
    return migrate()


def text_progress(step: str, done: int, total: int) -> None:
    """A progress bar on stderr for long steps (seeding a shop); ``step`` is marked N_ where it is named."""
    from rich.cells import set_cell_size
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r{set_cell_size(_(step), 16)} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def prepare(path: str | Path, *, demo: bool = True, size: str = "demo", seed: int = 42,
            progress=None, quiet: bool = False) -> str | None:
    """Open and upgrade the database; fill an empty one. Returns a first-run message, if any."""
    from models.db import mask_url
    from models.people import Staff
    applied = open_checked(str(path))
    if applied and not quiet:
        sys.stderr.write(_("Database {path}: applied {migrations}").format(
            path=mask_url(path), migrations=", ".join(applied)) + "\n")
    if Staff.select().exists():
        return None
    if demo:
        if not quiet:
            sys.stderr.write(_("First run: filling {path} with a demo shop ({size})...").format(
                path=mask_url(path), size=size) + "\n")
        started = time.perf_counter()
        try:
            generate_shop(path, size, seed=seed, progress=progress or (None if quiet else text_progress))
        except BaseException:
            _forget_half_made_shop(path)
            raise
        if not quiet:
            sys.stderr.write(_("Shop ({size}) ready in {seconds} s.").format(
                size=size, seconds=f"{time.perf_counter() - started:.1f}") + "\n")
        return None
    from workshop.accounts import ensure_first_manager
    created = ensure_first_manager()
    if created:
        staff, pin = created
        return _("New shop: sign in as '{name}' (login {login}) with PIN {pin}, set the shop up (F12: bays, "
                 "operations, rates...) and add your staff (F10); change this PIN there too. A forgotten PIN: "
                 "workshop admin reset-pin LOGIN.").format(name=staff.name, login=staff.login, pin=pin)
    return None


def _forget_half_made_shop(path) -> None:
    """Filling a new shop failed (a full disk): the file held nothing before, so it goes, rather than stay a
    half-made shop that the next start would take for a real one."""
    from models import db
    db.close()
    if "://" in str(path):
        return
    for name in (str(path), f"{path}-wal", f"{path}-shm"):
        try:
            os.unlink(name)
        except OSError:
            pass


def generate_shop(path: str | Path, size: str, *, seed: int, progress=None) -> None:
    """Fill the empty, open database with a generated shop. The generator writes SQLite (in bulk, the fast
    way); for PostgreSQL it writes a scratch file that ``workshop copy`` then moves in and checks."""
    from models.db import is_sqlite
    from seeds.demo import generate
    if is_sqlite():
        generate(size, seed=seed, progress=progress)
        return
    import tempfile
    from models import open_database
    from workshop.shop_copy import copy_shop
    with tempfile.TemporaryDirectory(prefix="workshop-seed-") as scratch:
        file = Path(scratch) / "shop.db"
        open_database(file)
        from models.schema import migrate
        migrate()
        generate(size, seed=seed, progress=progress)
        copy_shop(file, str(path), progress=progress)


def _copy(source: str, target: str) -> int:
    from models.db import is_postgres_url, mask_url
    from workshop.errors import DomainError
    from workshop.i18n import _
    from workshop.shop_copy import copy_shop
    if "://" in source:
        print(_("--from is the SQLite file of the shop to copy."), file=sys.stderr)
        return 2
    if "://" in target and not is_postgres_url(target):
        print(_("{target}: a shop can be copied to a postgresql:// URL or an SQLite file.").format(
            target=mask_url(target)), file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        report = copy_shop(source, target, progress=text_progress)
    except DomainError as error:
        print(f"\n{error}", file=sys.stderr)
        return 1
    print(_("Copied {rows} rows of {tables} tables from {source} to {target} in {seconds} s. Checked: every "
            "table's rows, the stock ledger of {parts} parts, payments totalling {paid}.").format(
        rows=f"{report.total_rows:,}", tables=len(report.rows), source=source, target=mask_url(target),
        seconds=f"{time.perf_counter() - started:.1f}", parts=f"{report.parts_checked:,}",
        paid=f"{report.payments_total:,.2f}"))
    return 0


def _import_parts(path: str, file: str, login: str) -> int:
    from workshop.errors import DomainError
    from workshop.parts_import import import_csv
    from models.people import Staff
    open_checked(path)
    staff = Staff.get_or_none(Staff.login == login)
    if staff is None:
        print(_("No staff member with login '{login}'.").format(login=login), file=sys.stderr)
        return 1
    try:
        report = import_csv(file, by=staff)
    except DomainError as error:
        print(error, file=sys.stderr)
        return 1
    for line, reason in report.rejected:
        print(_("line {line}: {reason}").format(line=line, reason=reason), file=sys.stderr)
    print(ngettext("Imported {n} part.", "Imported {n} parts.", report.imported).format(n=report.imported)
          if report.ok else ngettext("Nothing imported: {n} row rejected.", "Nothing imported: {n} rows rejected.",
                                     len(report.rejected)).format(n=len(report.rejected)))
    return 0 if report.ok else 2


class _Parser(argparse.ArgumentParser):
    """argparse repeats a bad command line in its error: with a database URL, its password too."""

    def error(self, message):
        import re
        from models.db import mask_url
        super().error(re.sub(r"\b[a-z][a-z0-9+.-]*://\S+", lambda m: mask_url(m.group(0)), message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="workshop", description=_("Workshop operations terminal"))
    parser.add_argument("--version", action=_Version, nargs=0, help=_("show the version and the schema it brings, "
                                                                      "and exit"))
    db_help = _("database file or postgresql:// URL (default: $WORKSHOP_DB or the user data directory)")
    parser.add_argument("--db", help=db_help)
    parser.add_argument("--empty", action="store_true", help=_("on first run, start an empty shop instead of "
                                                               "the demo (creates a first manager and prints its PIN)"))
    parser.add_argument("--shop-floor", action="store_true",
                        help=_("a shared shop-floor terminal: sign in with badge number and PIN, signed out after "
                               "a clock action or a short idle time (also WORKSHOP_SHOP_FLOOR=1)"))
    parser.add_argument("--shop", help=_("the shop (its code) this terminal works in, in a database of several "
                                         "shops; default $WORKSHOP_SHOP, else the home shop of whoever signs in"))
    parser.add_argument("--ssh-map", help=_("file mapping Unix logins to staff logins (one 'unix = staff' a line); "
                                            "default $WORKSHOP_SSH_MAP"))
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    seed = sub.add_parser("seed", help=_("fill an empty database with a generated shop"))
    seed.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)  # also after the command
    seed.add_argument("--size", choices=["tiny", "demo", "small", "large"], default="demo")
    seed.add_argument("--seed", type=int, default=42)
    sub.add_parser("migrate", help=_("upgrade the database schema and exit")).add_argument(
        "--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub.add_parser("warm", help=_("opt in to warm starts: start this user's warm server (e.g. from cron @reboot); "
                                  "every later `workshop` of this user then opens in about half the time"))
    sub.add_parser("daily", help=_("run the time-driven rules now (complaint escalation...); idempotent, for cron "
                                   "where no terminal may be open"))
    copy = sub.add_parser("copy", help=_("copy a shop's whole history from an SQLite file into an empty "
                                         "database (e.g. PostgreSQL), then check it: rows of every table, "
                                         "stock ledger, payments"))
    copy.add_argument("--from", dest="source", required=True, help=_("the shop's SQLite file"))
    copy.add_argument("--to", dest="target", required=True,
                      help=_("postgresql://... URL of an empty database (or a new SQLite file)"))
    imp = sub.add_parser("import-parts", help=_("import a parts catalog with opening stock from CSV (all or "
                                                "nothing)"))
    imp.add_argument("file")
    imp.add_argument("--as", dest="login", required=True, help=_("login of the parts clerk or manager importing"))

    def db_option(command: argparse.ArgumentParser) -> None:
        # --db after the subcommand too (`workshop import parts FILE --as X --db FILE`); given there, it wins
        try:
            command.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
        except argparse.ArgumentError:  # the subcommand has it already (seed, migrate)
            pass

    from workshop.admin_cli import add_commands
    add_commands(sub, db_option)
    for command in sub.choices.values():
        db_option(command)
    return parser


class _Version(argparse.Action):
    """--version, worked out only when asked (reading the package metadata costs every start ~10 ms)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()


def version_text() -> str:
    """The program's version and the schema version it brings (its newest migration)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        number = version("workshop-terminal")
    except PackageNotFoundError:
        number = "unknown"
    migrations = sorted((Path(__file__).resolve().parent.parent / "models" / "migrations").glob("[0-9]*.py"))
    schema = migrations[-1].name[:4] if migrations else "?"
    return f"workshop {number} (schema {schema})"


def main(argv: list[str] | None = None, warm: bool = True) -> int:
    """The command, behind the fault handler: whatever goes wrong, the person sees a plain message (and
    where the details are), never a traceback, and the terminal is left as it was found."""
    try:
        return _main(argv, warm)
    except KeyboardInterrupt:
        return 130
    except SystemExit:
        raise
    except BaseException as error:  # noqa: BLE001 - the top of the program: report anything
        from workshop import faults
        sys.stderr.write(faults.report(error, _target, "starting workshop") + "\n")
        return 1


def _has_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


_target: str | None = None  # the database this command works on, for the fault handler's message


def _main(argv: list[str] | None, warm: bool) -> int:
    global _target
    args = build_parser().parse_args(argv)
    if args.command is None and not _has_terminal():
        # ssh -T, an sftp client, a pipe: no terminal to draw on. Textual would spin on a closed input.
        sys.stderr.write(_("workshop needs a terminal: connect with ssh -t (an sftp or scp client cannot open "
                           "it).") + "\n")
        return 2
    if args.command is None:
        # Starting a terminal: no garbage collection until the first frame is out (the app turns it
        # back on, tuned, once it has settled in). Importing the code makes few cycles but hundreds of
        # thousands of objects, and the collector's passes over them were a quarter of a cold start.
        gc.disable()
        if "://" not in (args.db or "") and "psycopg" not in sys.modules:
            # A terminal on a SQLite file never talks to PostgreSQL, but Peewee imports the PostgreSQL
            # driver when it is installed (the [postgres] extra): a quarter of a cold start (psycopg,
            # its binary part, ssl, importlib.metadata). None in sys.modules makes that import fail
            # at once, as if the driver were not installed, for this process only.
            sys.modules["psycopg"] = None  # type: ignore[assignment]
    if warm and args.command is None:
        from workshop.warm import run_warm
        code = run_warm(sys.argv[1:] if argv is None else list(argv))
        if code is not None:
            return code
    if args.command == "warm":
        from workshop.warm import enabled, start_server
        if not enabled():
            print(_("Warm starts are off (WORKSHOP_WARM=0)."), file=sys.stderr)
            return 1
        start_server()
        print(_("Warm server starting: later starts of this Unix user are served warm (it leaves after 12 hours "
                "without a start; WORKSHOP_WARM=0 ignores it)."))
        return 0
    from models.people import Staff
    if args.command is not None:  # (a terminal loads the rest of the models after its first frame)
        import models
        models.load_all()
    path = args.db or str(default_db_path())
    _target = path
    if not args.db and "://" not in path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)  # the user's data folder, on a first run
    from models.db import mask_url
    if args.command == "migrate":
        applied = open_checked(path)
        print(_("{path}: applied {migrations}").format(path=mask_url(path), migrations=", ".join(applied)) if applied
              else _("{path}: up to date").format(path=mask_url(path)))
        return 0
    if args.command == "copy":
        return _copy(args.source, args.target)
    if args.command == "import-parts":
        return _import_parts(path, args.file, args.login)
    if args.command == "daily":
        from workshop import daily
        open_checked(path)
        done = daily.run(cron=True)
        print("; ".join(_("{job}: {count}").format(job=_(name), count=count if count >= 0 else _(
            "failed (see the log)")) for name, count in done.items()))
        return 1 if any(count < 0 for count in done.values()) else 0
    if args.command in ("import", "admin", "backup"):
        from workshop import admin_cli
        open_checked(path)
        return {"import": admin_cli.run_import, "admin": admin_cli.run_admin,
                "backup": admin_cli.run_backup}[args.command](args)
    if args.command == "seed":
        open_checked(path)
        if Staff.select().exists():
            print(_("{path} already holds a shop; seed an empty database.").format(path=mask_url(path)),
                  file=sys.stderr)
            return 1
        prepare(path, demo=True, size=args.size, seed=args.seed)
        return 0
    message = prepare(path, demo=not args.empty)
    if message:  # printed as well as shown: the terminal keeps it after the app's screen is gone
        print(message, flush=True)
    if args.shop:  # the terminal's shop, fixed by configuration (workshop/shops.py reads it at each sign-in)
        os.environ["WORKSHOP_SHOP"] = args.shop
    if os.environ.get("WORKSHOP_SHOP", "").strip():
        from workshop import shops
        from workshop.errors import DomainError
        try:
            shops.by_code(os.environ["WORKSHOP_SHOP"])
        except DomainError as error:
            print(str(error), file=sys.stderr)
            return 2
    from workshop.sshmap import signed_in_staff
    staff = signed_in_staff(args.ssh_map)
    from screens.app import WorkshopApp
    floor = args.shop_floor or os.environ.get("WORKSHOP_SHOP_FLOOR", "") not in ("", "0")
    app = WorkshopApp(first_run_message=message, auto_staff=None if floor else staff, shop_floor=floor)
    app.run()
    if app.fault_message:  # the app stopped on a fault: now that the terminal is restored, say why
        sys.stderr.write(app.fault_message + "\n")
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
