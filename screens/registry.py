"""The screens a signed-in user can open, with their key, the permission that shows them, and where
their class lives. A capability adds its screen here; a missing module simply hides the entry."""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from workshop.i18n import N_


@dataclass(frozen=True)
class ScreenEntry:
    name: str
    key: str | None   # function key that opens it from anywhere (None: from the palette and other screens);
                      # several may share one (the first the signed-in person may open is the one it opens)
    title: str        # (English; translated where shown)
    target: str       # "module:Class", imported when first opened
    action: str | None  # permission needed to see it (workshop.permissions); None: everyone
    help: str
    keep: bool = True  # kept after Esc, so the next open only repaints it; False for forms that start empty
    ahead: bool = True  # built ahead while idle (screens/kept.py); False when opening computes a report
    footer: bool = False  # its key shows in the key bar of every screen, to those who may open it


ENTRIES = [
    ScreenEntry("board", "f2", N_("Board"), "screens.board:BoardScreen", None, N_("The repair board")),
    ScreenEntry("bays", "f3", N_("Bays"), "screens.bays:BaysScreen", None, N_("Bays and technicians")),
    ScreenEntry("reception", "f4", N_("Reception"), "screens.reception:ReceptionScreen", "create_order",
                N_("Check a car in: new repair order"), keep=False),
    ScreenEntry("parts", "f5", N_("Parts"), "screens.parts:PartsScreen", "pick_parts",
                N_("Pick queue, returns, exchanges and stock")),
    ScreenEntry("qc", "f6", N_("QC"), "screens.qc:QCScreen", "sign_qc", N_("Final inspection queue")),
    ScreenEntry("cashier", "f7", N_("Cashier"), "screens.cashier:CashierScreen", "open_cashier",
                N_("Settle orders, take payments, invoices")),
    ScreenEntry("callbacks", "f8", N_("Follow-up"), "screens.callbacks:CallbacksScreen", "view_follow_up",
                N_("Follow-up calls, complaints, reminders, lost customers, campaigns, the call register")),
    ScreenEntry("audit", "f9", N_("Audit"), "screens.audit:AuditScreen", "view_audit", N_("The audit trail")),
    ScreenEntry("staff", "f10", N_("Staff"), "screens.staff:StaffScreen", "manage_staff",
                N_("Add staff, set roles, reset PINs")),
    ScreenEntry("quality", "f11", N_("Quality"), "screens.quality:QualityScreen", "view_reports",
                N_("QC and comeback figures"), ahead=False),
    # F12 is each role's own screen: the first of these the signed-in person may open (app.entry_for_key).
    ScreenEntry("myjobs", "f12", N_("My jobs"), "screens.my_jobs:MyJobsScreen", "my_jobs",
                N_("A technician's own jobs: clock on, pause, finish, ask for parts")),
    ScreenEntry("setup", "f12", N_("Shop set-up"), "screens.setup:ShopSetupScreen", "shop_setup",
                N_("Bays, operations and kits, rates, classes, packages, the shop's identity, settings"), footer=True),
    ScreenEntry("appointments", "f12", N_("Appointments"), "screens.appointments:AppointmentsScreen",
                "remind_appointments", N_("Appointments: the day by half-hour, reminder calls, cars due for service")),
    # From the palette and other screens only (every function key is taken).
    ScreenEntry("tools", None, N_("Tools"), "screens.tools:ToolsScreen", "use_tools",
                N_("Tools and equipment: out, in, damage, maintenance, calibration")),
    ScreenEntry("labour", None, N_("Labour figures"), "screens.labour:LabourScreen", "view_labour",
                N_("Hours sold, clocked and present; efficiency, productivity, labour rate, commission"), ahead=False),
    ScreenEntry("warranty", None, N_("Warranty claims"), "screens.warranty:WarrantyScreen", "view_warranty_claims",
                N_("Claims to submit, answers, rejections (不受理), payments, old parts, recovery")),
]


def keys() -> list[str]:
    """Every function key of a screen, each once, in the entries' order."""
    return list(dict.fromkeys(e.key for e in ENTRIES if e.key))


def load(entry: ScreenEntry):
    """The screen class of an entry, or None when its module is not there (yet)."""
    module_name, class_name = entry.target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return getattr(module, class_name, None)


# Opened from the board or other screens rather than by a key of their own.
OTHER_MODULES = ["screens.order_detail", "screens.dispatch", "screens.board_filter", "screens.dialogs",
                 "screens.customer_file", "screens.trade_dispatch"]


def preload() -> None:
    """Import every screen's module (after the board is up, or in the warm server), so that the first
    open of a screen does not wait for its imports."""
    for entry in ENTRIES:
        load(entry)
    for name in OTHER_MODULES:
        importlib.import_module(name)
