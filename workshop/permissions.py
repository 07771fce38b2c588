"""Who may do what: one matrix, enforced by every service function (not just by hiding keys).

A right is checked at the moment of the action: ``require`` re-reads the acting staff member by id
inside the service's own transaction (one indexed read), so a cashier deactivated while still signed
in cannot take a payment, and a manager demoted to advisor cannot void, from the next key they press.
The terminal's Actor (workshop/actor.py) only decides which keys a screen shows.
"""
from __future__ import annotations

from models.people import ROLE_LABELS, Staff
from workshop.errors import NotAllowed
from workshop.i18n import N_, _, join, label

# action -> (what it is called on screen, roles that may take it)
MATRIX: dict[str, tuple[str, frozenset[str]]] = {
    "create_order": (N_("create repair orders"), frozenset({"advisor", "manager"})),
    "edit_order": (N_("edit repair orders"), frozenset({"advisor", "dispatcher", "manager"})),
    "dispatch": (N_("dispatch to bays and technicians"), frozenset({"dispatcher", "supervisor", "manager"})),
    "move_card": (N_("move cards through the workshop"),
                  frozenset({"dispatcher", "supervisor", "technician", "manager"})),
    "clock_time": (N_("clock on and off job lines"), frozenset({"technician", "dispatcher", "supervisor", "manager"})),
    # Each technician clocks themself; these roles may clock a technician on or off for them.
    "clock_for_others": (N_("clock technicians on and off for them"),
                         frozenset({"dispatcher", "supervisor", "manager"})),
    # A technician's own queue of jobs (My jobs), where one key clocks on.
    "my_jobs": (N_("work from their own list of jobs"), frozenset({"technician"})),
    # A trade in a bay of another kind (body work in a quick-service bay): allowed with a reason, on record.
    "dispatch_mismatch": (N_("put a trade in a bay of another kind"), frozenset({"supervisor", "manager"})),
    # Hours present: a supervisor corrects a shift someone forgot to clock out of.
    "manage_shifts": (N_("correct technicians' shifts"), frozenset({"supervisor", "manager"})),
    "use_tools": (N_("check tools out and in"),
                  frozenset({"technician", "dispatcher", "supervisor", "parts_clerk", "manager"})),
    # The tool keeper's work: the register, damage and loss, maintenance and calibration, lending to others.
    "manage_tools": (N_("keep the tools and equipment register"), frozenset({"supervisor", "parts_clerk", "manager"})),
    "view_labour": (N_("view labour figures and commission"), frozenset({"supervisor", "manager"})),
    "cancel_order": (N_("cancel repair orders"), frozenset({"advisor", "manager"})),
    "request_parts": (N_("request parts"), frozenset({"advisor", "technician", "dispatcher", "parts_clerk", "manager"})),
    "pick_parts": (N_("pick, return and exchange parts"), frozenset({"parts_clerk", "manager"})),
    "manage_stock": (N_("receive goods and count stock"), frozenset({"parts_clerk", "manager"})),
    "purchase_parts": (N_("order parts from suppliers"), frozenset({"parts_clerk", "manager"})),
    "manage_suppliers": (N_("keep the supplier list"), frozenset({"parts_clerk", "manager"})),
    # The claims screen: those who prepare claims and those who book the manufacturer's money.
    "view_warranty_claims": (N_("see warranty claims"), frozenset({"advisor", "cashier", "manager"})),
    "warranty_claims": (N_("prepare, submit and answer warranty claims"), frozenset({"advisor", "manager"})),
    "warranty_payments": (N_("record manufacturers' payments"), frozenset({"cashier", "manager"})),
    "charge_claim_internal": (N_("charge rejected warranty claims to the shop"), frozenset({"manager"})),
    "insurance_claims": (N_("record insurance claims and assessments"), frozenset({"advisor", "manager"})),
    "insurer_payments": (N_("record insurers' payments"), frozenset({"cashier", "manager"})),
    "sign_qc": (N_("sign off final QC"), frozenset({"qc_inspector"})),
    "edit_checklists": (N_("edit QC checklists"), frozenset({"manager"})),
    "presettle": (N_("pre-settle orders"), frozenset({"advisor", "manager"})),
    "open_cashier": (N_("use the cashier's screen"), frozenset({"advisor", "cashier", "manager"})),
    "settle": (N_("settle orders and take payments"), frozenset({"cashier", "manager"})),
    "void_refund": (N_("void or refund settlements"), frozenset({"manager"})),
    "release_car": (N_("release cars to customers"), frozenset({"advisor", "cashier", "manager"})),
    "approve_on_account": (N_("release cars on account"), frozenset({"manager"})),
    "mark_comeback": (N_("mark comebacks"), frozenset({"advisor", "manager"})),
    "create_callback": (N_("create callbacks"), frozenset({"follow_up_agent", "care_supervisor", "advisor", "manager"})),
    "close_callback": (N_("record callback outcomes"), frozenset({"follow_up_agent", "care_supervisor", "manager"})),
    # Everyone who may handle a complaint opens the follow-up screen (its complaints at least), and an
    # escalation goes only to one of them (workshop/callbacks.escalation_target).
    "handle_complaint": (N_("handle complaints"),
                         frozenset({"follow_up_agent", "care_supervisor", "advisor", "supervisor", "manager"})),
    "log_call": (N_("record incoming calls and walk-in visits"),
                 frozenset({"follow_up_agent", "care_supervisor", "advisor", "manager"})),
    "plan_campaigns": (N_("plan campaigns"), frozenset({"care_supervisor", "manager"})),
    # The follow-up screen: whoever takes calls, handles complaints or plans campaigns (each tab its own).
    "view_follow_up": (N_("open the follow-up screen"),
                       frozenset({"follow_up_agent", "care_supervisor", "advisor", "supervisor", "manager"})),
    # The customer-care supervisor (and the manager) hands an absent agent's calls on, from the calls tab;
    # the workshop supervisor has no calls tab, so the right would be one they could never use.
    "reassign_callbacks": (N_("reassign callbacks"), frozenset({"manager", "care_supervisor"})),
    "manage_staff": (N_("manage staff"), frozenset({"manager"})),
    "manage_settings": (N_("change settings"), frozenset({"manager"})),
    "shop_setup": (N_("set up bays, the operations catalog, rates, classes and packages"), frozenset({"manager"})),
    "manage_shops": (N_("add shops and assign staff to shops"), frozenset({"manager"})),
    "group_figures": (N_("see every shop's figures and the group's"), frozenset({"manager", "group_manager"})),
    # (the customer-care supervisor too: an escalated complaint or an incoming call is about someone's file)
    "view_customer_file": (N_("open customer and vehicle files"),
                           frozenset({"advisor", "cashier", "follow_up_agent", "care_supervisor", "manager",
                                      "supervisor", "dispatcher"})),
    "edit_customer_file": (N_("edit customer and vehicle files"), frozenset({"advisor", "follow_up_agent", "manager"})),
    "merge_customers": (N_("merge customer files"), frozenset({"manager"})),
    "import_data": (N_("import customers, vehicles and the operations catalog"), frozenset({"manager"})),
    "view_audit": (N_("view the audit trail"), frozenset({"manager", "supervisor", "advisor", "dispatcher", "cashier"})),
    "book_appointments": (N_("book, move and cancel appointments"), frozenset({"advisor", "manager"})),
    "overbook": (N_("book appointments beyond capacity"), frozenset({"manager"})),
    "remind_appointments": (N_("call customers about tomorrow's appointments"),
                            frozenset({"advisor", "follow_up_agent", "manager"})),
    "record_approval": (N_("record the customer's approval of work"), frozenset({"advisor", "manager"})),
    "view_reports": (N_("view figures"),
                     frozenset({"manager", "supervisor", "qc_inspector", "follow_up_agent", "care_supervisor",
                                "group_manager"})),
}


def roles_for(action: str) -> frozenset[str]:
    return MATRIX[action][1]


def can(staff, action: str) -> bool:
    """Whether this Staff row or Actor may take ``action`` as far as the terminal knows (which keys to
    show); services decide with ``require``."""
    return staff is not None and getattr(staff, "active", True) and bool(staff.role_set & roles_for(action))


def require(actor, action: str) -> Staff:
    """The acting staff member as they are now (re-read by id: call it inside the transaction that makes
    the change), or NotAllowed naming the roles that may. ``actor`` is the terminal's Actor or a Staff
    row; use the returned Staff for foreign keys and for the event row.

    A service whose transaction runs in a nested ``work()`` rebinds its ``by`` there
    (``nonlocal by; by = require(by, ...)``), so every use after the check is the fresh row."""
    if actor is None:
        raise NotAllowed(_("Nobody is signed in."))
    staff = Staff.by_id(actor.id)
    what, roles = MATRIX[action]
    who = join(sorted(label(ROLE_LABELS, r) for r in roles))
    if staff is None or not staff.active:
        raise NotAllowed(_("{name} is no longer an active member of staff: ask a manager.").format(
            name=getattr(staff, "name", None) or actor.name))
    if not staff.role_set & roles:
        raise NotAllowed(_("{name} may not {what}: only {who} may.").format(name=staff.name, what=_(what), who=who))
    return staff
