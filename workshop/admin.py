"""Administration from the server's command line (``workshop admin``): whoever can run the command on the
server holds the database file, so these act without a signed-in person; each is audited as the system, with
the Unix user who ran it in the summary."""
from __future__ import annotations

import getpass
import secrets
from dataclasses import dataclass

from models.db import run_write
from models.people import ROLE_LABELS, Staff
from workshop import audit, i18n, validation
from workshop.accounts import check_pin_format, hash_pin
from workshop.errors import InvalidInput, NotFound
from workshop.i18n import N_, _
from workshop.phrase import Phrase


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _unix_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in a container or a cron job
        return "?"


def _login(value: str) -> str:
    login = validation.text(value, "login", _("Login"), max_len=32).lower()
    if not login.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise InvalidInput(_("A login has only letters, digits, dots, dashes and underscores."), "login")
    return login


def create_manager(login: str, name: str, pin: str | None = None) -> tuple[Staff, str]:
    """A new manager (e.g. the first one, or one more after the only manager left); returns it and its PIN."""
    login = _login(login)
    name = validation.text(name, "name", _("Name"), max_len=60)
    pin = check_pin_format(pin) if pin else new_pin()

    def work():
        if Staff.select().where(Staff.login == login).exists():
            raise InvalidInput(_("Login '{login}' is taken.").format(login=login), "login")
        staff = Staff.create(login=login, name=name, roles="manager", pin_hash=hash_pin(pin))
        audit.record(None, "staff_added", "staff", staff.id,
                     Phrase(N_("Staff {name} added as manager from the command line (Unix user {user})"), name=name,
                            user=_unix_user()),
                     after={"login": login, "name": name, "roles": "manager"})
        return staff

    return run_write(work), pin


def reset_pin(login: str, pin: str | None = None) -> tuple[Staff, str]:
    """A new PIN for a staff member, lifting any lockout and letting a deactivated manager sign in again."""
    login = _login(login)
    pin = check_pin_format(pin) if pin else new_pin()

    def work():
        staff = Staff.get_or_none(Staff.login == login)
        if staff is None:
            raise NotFound(_("No staff member has the login '{login}'.").format(login=login))
        Staff.update(pin_hash=hash_pin(pin), failed_pins=0, locked_until=None).where(Staff.id == staff.id).execute()
        audit.record(None, "pin_reset", "staff", staff.id,
                     Phrase(N_("PIN of {name} reset from the command line (Unix user {user})"), name=staff.name,
                            user=_unix_user()))
        return staff

    return run_write(work), pin


@dataclass(frozen=True)
class StaffLine:
    login: str
    name: str
    roles: str       # translated, comma separated
    active: bool
    locked: bool


def list_staff() -> list[StaffLine]:
    from workshop import clock
    now = clock.now()
    return [StaffLine(s.login, s.name, ", ".join(i18n.label(ROLE_LABELS, r) for r in s.roles.split(",") if r),
                      bool(s.active), bool(s.locked_until and s.locked_until > now))
            for s in Staff.select().order_by(Staff.active.desc(), Staff.name)]
