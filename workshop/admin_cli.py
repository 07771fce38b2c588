"""The ``workshop`` subcommands for setting a shop up and keeping it: ``import``, ``admin``, ``backup``.
(workshop/cli.py builds the parser and hands these their parsed arguments.)"""
from __future__ import annotations

import argparse
import csv
import sys


def add_commands(sub, db_option) -> None:
    """Add the subcommands; ``db_option(parser)`` gives a parser the --db option (nested ones included)."""
    imp = sub.add_parser("import", help="import customers with vehicles, the operations catalog or parts from CSV "
                         "(UTF-8 or GBK) or .xlsx: all or nothing, with a row-by-row report (columns: README)")
    imp.add_argument("what", choices=["customers", "operations", "parts"])
    imp.add_argument("file")
    imp.add_argument("--as", dest="login", required=True, help="login of the manager (parts: or parts clerk) importing")
    imp.add_argument("--dry-run", action="store_true", help="check every row and report, write nothing")
    imp.add_argument("--report", help="also write the refused rows to this CSV file (line, reason)")
    adm = sub.add_parser("admin", help="staff administration on the server: list, create a manager, reset a PIN")
    acts = adm.add_subparsers(dest="action", required=True)
    db_option(acts.add_parser("list", help="every staff member, their roles, and who is inactive or locked out"))
    make = acts.add_parser("create-manager", help="add a manager (prints the PIN unless --pin gives one)")
    make.add_argument("login")
    make.add_argument("name")
    make.add_argument("--pin")
    db_option(make)
    reset = acts.add_parser("reset-pin", help="a new PIN for someone (prints it unless --pin gives one); lifts a "
                            "lockout")
    reset.add_argument("login")
    reset.add_argument("--pin")
    db_option(reset)
    back = sub.add_parser("backup", help="an online, consistent copy of the database while terminals work (SQLite; "
                          "PostgreSQL: pg_dump)")
    back.add_argument("file")


def _progress(step: str, done: int, total: int) -> None:
    from workshop.cli import text_progress
    text_progress(step, done, total)


def run_import(args: argparse.Namespace) -> int:
    from models.people import Staff
    from workshop import data_import, parts_import
    from workshop.errors import DomainError
    staff = Staff.get_or_none((Staff.login == args.login) & Staff.active)
    if staff is None:
        print(f"No active staff member with login '{args.login}'.", file=sys.stderr)
        return 1
    importer = {"customers": data_import.import_customers, "operations": data_import.import_operations,
                "parts": parts_import.import_parts}[args.what]
    try:
        report = importer(args.file, by=staff, dry_run=args.dry_run, progress=_progress)
    except DomainError as error:
        print(error, file=sys.stderr)
        return 1
    for line, reason in report.rejected:
        print(f"line {line}: {reason}", file=sys.stderr)
    if args.report:
        with open(args.report, "w", newline="", encoding="utf-8-sig") as fh:
            out = csv.writer(fh)
            out.writerow(["line", "reason"])
            out.writerows(report.rejected)
    print(data_import.describe(report))
    return 0 if report.ok else 2


def run_admin(args: argparse.Namespace) -> int:
    from workshop import admin
    from workshop.errors import DomainError
    try:
        if args.action == "list":
            for s in admin.list_staff():
                flags = ("" if s.active else "  (inactive)") + ("  (locked out)" if s.locked else "")
                print(f"{s.login:<20} {s.name:<24} {s.roles}{flags}")
            return 0
        if args.action == "create-manager":
            staff, pin = admin.create_manager(args.login, args.name, args.pin)
            print(f"Manager '{staff.name}' (login {staff.login}) created; PIN {pin}")
            return 0
        staff, pin = admin.reset_pin(args.login, args.pin)
        print(f"PIN of '{staff.name}' (login {staff.login}) is now {pin}")
        return 0
    except DomainError as error:
        print(error, file=sys.stderr)
        return 1


def run_backup(args: argparse.Namespace) -> int:
    from workshop.backup import backup
    from workshop.errors import DomainError
    try:
        done = backup(args.file)
    except DomainError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"Backup written: {done.path} ({done.bytes / 2**20:.1f} MB in {done.seconds:.1f} s)")
    return 0
