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
    adm = sub.add_parser("admin", help="staff administration on the server: list, create a manager, reset a PIN; shops of a group")
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
    # Several shops in one database (workshop/shops.py): a dealer group's locations and who works where.
    db_option(acts.add_parser("shops", help="the shops of this database (one, unless it holds a dealer group)"))
    shop = acts.add_parser("add-shop", help="add a shop (workshop location) to this database: from then on each "
                           "terminal works in one shop (workshop --shop CODE, or the home shop of whoever signs in)")
    shop.add_argument("code")
    shop.add_argument("name")
    for option in ("--name-zh", "--address", "--phone", "--tax-number"):
        shop.add_argument(option, default="")
    shop.add_argument("--as", dest="by", required=True, help="login of the manager adding it")
    db_option(shop)
    assign = acts.add_parser("assign", help="a staff member's home shop, and the other shops they may work in")
    assign.add_argument("login")
    assign.add_argument("shop", help="the code of their home shop")
    assign.add_argument("--also", default="", help="codes of other shops they may work in, comma-separated")
    assign.add_argument("--as", dest="by", required=True, help="login of the manager assigning them")
    db_option(assign)
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
        if args.action in ("shops", "add-shop", "assign"):
            return _run_shops(args)
        staff, pin = admin.reset_pin(args.login, args.pin)
        print(f"PIN of '{staff.name}' (login {staff.login}) is now {pin}")
        return 0
    except DomainError as error:
        print(error, file=sys.stderr)
        return 1


def _run_shops(args: argparse.Namespace) -> int:
    from models.people import Staff
    from workshop import shops
    from workshop.errors import NotFound
    from workshop.i18n import _
    if args.action == "shops":
        for row in shops.listing(include_retired=True):
            print(f"{row.code:<10} {row.name:<32} {row.tax_number}{'' if row.active else '  (retired)'}")
        return 0
    manager = Staff.get_or_none((Staff.login == args.by) & Staff.active)
    if manager is None:
        raise NotFound(_("No active staff member with login '{login}'.").format(login=args.by))
    if args.action == "add-shop":
        row = shops.add_shop(args.code, args.name, by=manager, name_zh=args.name_zh, address=args.address,
                             phone=args.phone, tax_number=args.tax_number)
        print(f"Shop {row.code} ({row.name}) added")
        return 0
    staff = Staff.get_or_none(Staff.login == args.login)
    if staff is None:
        raise NotFound(_("No staff member with login '{login}'.").format(login=args.login))
    also = tuple(code.strip() for code in args.also.split(",") if code.strip())
    shops.assign(staff.id, args.shop, also=also, by=manager)
    print(f"{staff.name} works in {args.shop.upper()}" + (f" (also {', '.join(also)})" if also else ""))
    return 0


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
