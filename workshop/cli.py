"""The ``workshop`` command: open (create, upgrade, fill) the database, then start the terminal."""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

# Only the standard library at the top: a start served by a warm process (workshop/warm.py) must not
# pay for importing the app. The app's modules are imported where they are used.


def default_db_path() -> Path:
    from platformdirs import user_data_dir
    return Path(os.environ.get("WORKSHOP_DB") or Path(user_data_dir("workshop", "workshop")) / "workshop.db")


def text_progress(step: str, done: int, total: int) -> None:
    """A progress bar on stderr for long steps (seeding a shop)."""
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r{step:<16} [{'#' * filled}{'.' * (width - filled)}] {done:>9,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def prepare(path: str | Path, *, demo: bool = True, size: str = "demo", seed: int = 42,
            progress=None, quiet: bool = False) -> str | None:
    """Open and upgrade the database; fill an empty one. Returns a first-run message, if any."""
    from models import open_database
    from models.db import mask_url
    from models.people import Staff
    from models.schema import migrate
    open_database(path)
    applied = migrate()
    if applied and not quiet:
        sys.stderr.write(f"Database {mask_url(path)}: applied {', '.join(applied)}\n")
    if Staff.select().exists():
        return None
    if demo:
        if not quiet:
            sys.stderr.write(f"First run: filling {mask_url(path)} with a demo shop ({size})...\n")
        started = time.perf_counter()
        generate_shop(path, size, seed=seed, progress=progress or (None if quiet else text_progress))
        if not quiet:
            sys.stderr.write(f"Shop ({size}) ready in {time.perf_counter() - started:.1f} s.\n")
        return None
    from workshop.accounts import ensure_first_manager
    created = ensure_first_manager()
    if created:
        staff, pin = created
        return (f"New shop: sign in as '{staff.name}' (login {staff.login}) with PIN {pin}, "
                "then add your staff from the Staff screen (F10). Change this PIN there too.")
    return None


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
    from models import open_database
    from models.people import Staff
    from models.schema import migrate
    open_database(path)
    migrate()
    staff = Staff.get_or_none(Staff.login == login)
    if staff is None:
        print(f"No staff member with login '{login}'.", file=sys.stderr)
        return 1
    try:
        report = import_csv(file, by=staff)
    except DomainError as error:
        print(error, file=sys.stderr)
        return 1
    for line, reason in report.rejected:
        print(f"line {line}: {reason}", file=sys.stderr)
    print(f"Imported {report.imported} parts." if report.ok else
          f"Nothing imported: {len(report.rejected)} row(s) rejected.")
    return 0 if report.ok else 2


class _Parser(argparse.ArgumentParser):
    """argparse repeats a bad command line in its error: with a database URL, its password too."""

    def error(self, message):
        import re
        from models.db import mask_url
        super().error(re.sub(r"\b[a-z][a-z0-9+.-]*://\S+", lambda m: mask_url(m.group(0)), message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="workshop", description="Workshop operations terminal")
    parser.add_argument("--db", help="database file or postgresql:// URL (default: $WORKSHOP_DB or the "
                        "user data directory)")
    parser.add_argument("--empty", action="store_true", help="on first run, start an empty shop instead of "
                        "the demo (creates a first manager and prints its PIN)")
    parser.add_argument("--shop-floor", action="store_true",
                        help="a shared shop-floor terminal: sign in with badge number and PIN, signed out after a "
                             "clock action or a short idle time (also WORKSHOP_SHOP_FLOOR=1)")
    parser.add_argument("--ssh-map", help="file mapping Unix logins to staff logins (one 'unix = staff' a line); "
                        "default $WORKSHOP_SSH_MAP")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    seed = sub.add_parser("seed", help="fill an empty database with a generated shop")
    seed.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)  # also after the command
    seed.add_argument("--size", choices=["tiny", "demo", "small", "large"], default="demo")
    seed.add_argument("--seed", type=int, default=42)
    sub.add_parser("migrate", help="upgrade the database schema and exit").add_argument(
        "--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub.add_parser("warm", help="opt in to warm starts: start this user's warm server (e.g. from cron @reboot); "
                   "every later `workshop` of this user then opens in about half the time")
    sub.add_parser("daily", help="run the time-driven rules now (complaint escalation...); idempotent, for cron "
                   "where no terminal may be open")
    from workshop.i18n import _
    copy = sub.add_parser("copy", help=_("copy a shop's whole history from an SQLite file into an empty "
                                         "database (e.g. PostgreSQL), then check it: rows of every table, "
                                         "stock ledger, payments"))
    copy.add_argument("--from", dest="source", required=True, help=_("the shop's SQLite file"))
    copy.add_argument("--to", dest="target", required=True,
                      help=_("postgresql://... URL of an empty database (or a new SQLite file)"))
    imp = sub.add_parser("import-parts", help="import a parts catalog with opening stock from CSV (all or nothing)")
    imp.add_argument("file")
    imp.add_argument("--as", dest="login", required=True, help="login of the parts clerk or manager importing")
    return parser


def main(argv: list[str] | None = None, warm: bool = True) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        # Starting a terminal: no garbage collection until the first frame is out (the app turns it
        # back on, tuned, once it has settled in). Importing the code makes few cycles but hundreds of
        # thousands of objects, and the collector's passes over them were a quarter of a cold start.
        gc.disable()
    if warm and args.command is None:
        from workshop.warm import run_warm
        code = run_warm(sys.argv[1:] if argv is None else list(argv))
        if code is not None:
            return code
    if args.command == "warm":
        from workshop.warm import enabled, start_server
        if not enabled():
            print("Warm starts are off (WORKSHOP_WARM=0).", file=sys.stderr)
            return 1
        start_server()
        print("Warm server starting: later starts of this Unix user are served warm (it leaves after 12 hours "
              "without a start; WORKSHOP_WARM=0 ignores it).")
        return 0
    from models import open_database
    from models.people import Staff
    from models.schema import migrate
    path = args.db or str(default_db_path())
    from models.db import mask_url
    if args.command == "migrate":
        open_database(path)
        applied = migrate()
        print(f"{mask_url(path)}: {'applied ' + ', '.join(applied) if applied else 'up to date'}")
        return 0
    if args.command == "copy":
        return _copy(args.source, args.target)
    if args.command == "import-parts":
        return _import_parts(path, args.file, args.login)
    if args.command == "daily":
        from workshop import daily
        open_database(path)
        done = daily.run(cron=True)
        print("; ".join(f"{name}: {count if count >= 0 else 'failed (see the log)'}" for name, count in done.items()))
        return 1 if any(count < 0 for count in done.values()) else 0
    if args.command == "seed":
        open_database(path)
        migrate()
        if Staff.select().exists():
            print(f"{mask_url(path)} already holds a shop; seed an empty database.", file=sys.stderr)
            return 1
        prepare(path, demo=True, size=args.size, seed=args.seed)
        return 0
    message = prepare(path, demo=not args.empty)
    from workshop.sshmap import signed_in_staff
    staff = signed_in_staff(args.ssh_map)
    from screens.app import WorkshopApp
    floor = args.shop_floor or os.environ.get("WORKSHOP_SHOP_FLOOR", "") not in ("", "0")
    app = WorkshopApp(first_run_message=message, auto_staff=None if floor else staff, shop_floor=floor)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
