"""Who may do what: one matrix, enforced by every service function (not just by hiding keys)."""
from __future__ import annotations

from models.people import ROLE_LABELS, Staff
from workshop.errors import NotAllowed
from workshop.i18n import label

# action -> (what it is called on screen, roles that may take it)
MATRIX: dict[str, tuple[str, frozenset[str]]] = {
    "create_order": ("create repair orders", frozenset({"advisor", "manager"})),
    "edit_order": ("edit repair orders", frozenset({"advisor", "dispatcher", "manager"})),
    "dispatch": ("dispatch to bays and technicians", frozenset({"dispatcher", "supervisor", "manager"})),
    "move_card": ("move cards through the workshop",
                  frozenset({"dispatcher", "supervisor", "technician", "manager"})),
    "clock_time": ("clock on and off job lines", frozenset({"technician", "dispatcher", "supervisor", "manager"})),
    "cancel_order": ("cancel repair orders", frozenset({"advisor", "manager"})),
    "request_parts": ("request parts", frozenset({"advisor", "technician", "dispatcher", "parts_clerk", "manager"})),
    "pick_parts": ("pick, return and exchange parts", frozenset({"parts_clerk", "manager"})),
    "manage_stock": ("receive goods and count stock", frozenset({"parts_clerk", "manager"})),
    "sign_qc": ("sign off final QC", frozenset({"qc_inspector"})),
    "edit_checklists": ("edit QC checklists", frozenset({"manager"})),
    "presettle": ("pre-settle orders", frozenset({"advisor", "manager"})),
    "open_cashier": ("use the cashier's screen", frozenset({"advisor", "cashier", "manager"})),
    "settle": ("settle orders and take payments", frozenset({"cashier", "manager"})),
    "void_refund": ("void or refund settlements", frozenset({"manager"})),
    "release_car": ("release cars to customers", frozenset({"advisor", "cashier", "manager"})),
    "approve_on_account": ("release cars on account", frozenset({"manager"})),
    "mark_comeback": ("mark comebacks", frozenset({"advisor", "manager"})),
    "create_callback": ("create callbacks", frozenset({"follow_up_agent", "advisor", "manager"})),
    "close_callback": ("record callback outcomes", frozenset({"follow_up_agent", "manager"})),
    "handle_complaint": ("handle complaints", frozenset({"follow_up_agent", "advisor", "supervisor", "manager"})),
    "reassign_callbacks": ("reassign callbacks", frozenset({"manager", "supervisor"})),
    "manage_staff": ("manage staff", frozenset({"manager"})),
    "manage_settings": ("change settings", frozenset({"manager"})),
    "view_audit": ("view the audit trail", frozenset({"manager", "supervisor", "advisor", "dispatcher", "cashier"})),
    "view_reports": ("view figures", frozenset({"manager", "supervisor", "qc_inspector", "follow_up_agent"})),
}


def roles_for(action: str) -> frozenset[str]:
    return MATRIX[action][1]


def can(staff: Staff | None, action: str) -> bool:
    return staff is not None and staff.active and bool(staff.role_set & roles_for(action))


def require(staff: Staff | None, action: str) -> None:
    """Raise NotAllowed, naming the roles that may, unless ``staff`` may take ``action``."""
    if can(staff, action):
        return
    what, roles = MATRIX[action]
    who = ", ".join(sorted(label(ROLE_LABELS, r) for r in roles))
    name = staff.name if staff is not None else "Nobody signed in"
    raise NotAllowed(f"{name} may not {what}: only {who} may.")
