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
    from models import open_database
    from models.people import Staff
    from models.schema import migrate
    open_database(path)
    applied = migrate()
    if applied and not quiet:
        sys.stderr.write(_("Database {path}: applied {migrations}").format(path=path, migrations=", ".join(applied))
                         + "\n")
    if Staff.select().exists():
        return None
    if demo:
        from seeds.demo import generate
        if not quiet:
            sys.stderr.write(_("First run: filling {path} with a demo shop ({size})...").format(path=path, size=size)
                             + "\n")
        started = time.perf_counter()
        generate(size, seed=seed, progress=progress or (None if quiet else text_progress))
        if not quiet:
            sys.stderr.write(_("Shop ({size}) ready in {seconds} s.").format(
                size=size, seconds=f"{time.perf_counter() - started:.1f}") + "\n")
        return None
    from workshop.accounts import ensure_first_manager
    created = ensure_first_manager()
    if created:
        staff, pin = created
        return _("New shop: sign in as '{name}' (login {login}) with PIN {pin}, then add your staff from the Staff "
                 "screen (F10). Change this PIN there too.").format(name=staff.name, login=staff.login, pin=pin)
    return None


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workshop", description=_("Workshop operations terminal"))
    parser.add_argument("--db", help=_("database file or postgresql:// URL (default: $WORKSHOP_DB or the "
                                       "user data directory)"))
    parser.add_argument("--empty", action="store_true", help=_("on first run, start an empty shop instead of "
                                                               "the demo (creates a first manager and prints its PIN)"))
    parser.add_argument("--ssh-map", help=_("file mapping Unix logins to staff logins (one 'unix = staff' a line); "
                                            "default $WORKSHOP_SSH_MAP"))
    sub = parser.add_subparsers(dest="command")
    seed = sub.add_parser("seed", help=_("fill an empty database with a generated shop"))
    seed.add_argument("--size", choices=["tiny", "demo", "small", "large"], default="demo")
    seed.add_argument("--seed", type=int, default=42)
    sub.add_parser("migrate", help=_("upgrade the database schema and exit"))
    sub.add_parser("warm", help=_("opt in to warm starts: start this user's warm server (e.g. from cron @reboot); "
                                  "every later `workshop` of this user then opens in about half the time"))
    sub.add_parser("daily", help=_("run the time-driven rules now (complaint escalation...); idempotent, for cron "
                                   "where no terminal may be open"))
    imp = sub.add_parser("import-parts", help=_("import a parts catalog with opening stock from CSV (all or "
                                                "nothing)"))
    imp.add_argument("file")
    imp.add_argument("--as", dest="login", required=True, help=_("login of the parts clerk or manager importing"))
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
            print(_("Warm starts are off (WORKSHOP_WARM=0)."), file=sys.stderr)
            return 1
        start_server()
        print(_("Warm server starting: later starts of this Unix user are served warm (it leaves after 12 hours "
                "without a start; WORKSHOP_WARM=0 ignores it)."))
        return 0
    from models import open_database
    from models.people import Staff
    from models.schema import migrate
    path = args.db or str(default_db_path())
    if args.command == "migrate":
        open_database(path)
        applied = migrate()
        print(_("{path}: applied {migrations}").format(path=path, migrations=", ".join(applied)) if applied
              else _("{path}: up to date").format(path=path))
        return 0
    if args.command == "import-parts":
        return _import_parts(path, args.file, args.login)
    if args.command == "daily":
        from workshop import daily
        open_database(path)
        done = daily.run()
        print("; ".join(_("{job}: {count}").format(job=_(name), count=count if count >= 0 else _(
            "failed (see the log)")) for name, count in done.items()))
        return 1 if any(count < 0 for count in done.values()) else 0
    if args.command == "seed":
        open_database(path)
        migrate()
        if Staff.select().exists():
            print(_("{path} already holds a shop; seed an empty file.").format(path=path), file=sys.stderr)
            return 1
        prepare(path, demo=True, size=args.size, seed=args.seed)
        return 0
    message = prepare(path, demo=not args.empty)
    from workshop.sshmap import signed_in_staff
    staff = signed_in_staff(args.ssh_map)
    from screens.app import WorkshopApp
    app = WorkshopApp(first_run_message=message, auto_staff=staff)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
