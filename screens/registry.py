"""The screens a signed-in user can open, with their key, the permission that shows them, and where
their class lives. A capability adds its screen here; a missing module simply hides the entry."""
from __future__ import annotations

import importlib
from dataclasses import dataclass

from workshop.i18n import N_


@dataclass(frozen=True)
class ScreenEntry:
    name: str
    key: str          # function key that opens it from anywhere ("": from the command palette only)
    title: str        # (English; translated where shown)
    target: str       # "module:Class", imported when first opened
    action: str | None  # permission needed to see it (workshop.permissions); None: everyone
    help: str
    keep: bool = True  # kept after Esc, so the next open only repaints it; False for forms that start empty
    ahead: bool = True  # built ahead while idle (screens/kept.py); False when opening computes a report


ENTRIES = [
    ScreenEntry("board", "f2", "Board", "screens.board:BoardScreen", None, "The repair board"),
    ScreenEntry("bays", "f3", "Bays", "screens.bays:BaysScreen", None, "Bays and technicians"),
    ScreenEntry("reception", "f4", "Reception", "screens.reception:ReceptionScreen", "create_order",
                "Check a car in: new repair order", keep=False),
    ScreenEntry("parts", "f5", "Parts", "screens.parts:PartsScreen", "pick_parts",
                "Pick queue, returns, exchanges and stock"),
    ScreenEntry("qc", "f6", "QC", "screens.qc:QCScreen", "sign_qc", "Final inspection queue"),
    ScreenEntry("cashier", "f7", "Cashier", "screens.cashier:CashierScreen", "open_cashier",
                "Settle orders, take payments, invoices"),
    ScreenEntry("callbacks", "f8", "Callbacks", "screens.callbacks:CallbacksScreen", "close_callback",
                "Follow-up calls, complaints and reminders"),
    ScreenEntry("audit", "f9", "Audit", "screens.audit:AuditScreen", "view_audit", "The audit trail"),
    ScreenEntry("staff", "f10", "Staff", "screens.staff:StaffScreen", "manage_staff",
                "Add staff, set roles, reset PINs"),
    ScreenEntry("quality", "f11", "Quality", "screens.quality:QualityScreen", "view_reports",
                "QC and comeback figures", ahead=False),
    # Every function key is taken: the palette opens it ("warranty"), and a warranty order's screen (w).
    ScreenEntry("warranty", "", N_("Warranty claims"), "screens.warranty:WarrantyScreen", "view_warranty_claims",
                N_("Claims to submit, answers, rejections (不受理), payments, old parts, recovery")),
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
