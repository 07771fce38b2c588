"""The screens a signed-in user can open, with their key, the permission that shows them, and where
their class lives. A capability adds its screen here; a missing module simply hides the entry."""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from workshop.i18n import N_


@dataclass(frozen=True)
class ScreenEntry:
    name: str
    key: str          # function key that opens it from anywhere
    title: str        # marked N_: translated where shown (like help)
    target: str       # "module:Class", imported when first opened
    action: str | None  # permission needed to see it (workshop.permissions); None: everyone
    help: str
    keep: bool = True  # kept after Esc, so the next open only repaints it; False for forms that start empty
    ahead: bool = True  # built ahead while idle (screens/kept.py); False when opening computes a report


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
    ScreenEntry("callbacks", "f8", N_("Follow-up"), "screens.callbacks:CallbacksScreen", "close_callback",
                N_("Follow-up calls, complaints and reminders")),
    ScreenEntry("audit", "f9", N_("Audit"), "screens.audit:AuditScreen", "view_audit", N_("The audit trail")),
    ScreenEntry("staff", "f10", N_("Staff"), "screens.staff:StaffScreen", "manage_staff",
                N_("Add staff, set roles, reset PINs")),
    ScreenEntry("quality", "f11", N_("Quality"), "screens.quality:QualityScreen", "view_reports",
                N_("QC and comeback figures"), ahead=False),
]


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
OTHER_MODULES = ["screens.order_detail", "screens.dispatch", "screens.board_filter", "screens.dialogs"]


def preload() -> None:
    """Import every screen's module (after the board is up, or in the warm server), so that the first
    open of a screen does not wait for its imports."""
    for entry in ENTRIES:
        load(entry)
    for name in OTHER_MODULES:
        importlib.import_module(name)
