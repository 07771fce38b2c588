"""Staff accounts: PINs stored as salted scrypt hashes, sign-in with lockout, and staff management."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from models.db import run_write
from models.people import ROLES, TRADES, Staff
from workshop import audit, clock, settings, validation
from workshop.errors import InvalidInput, NotFound, SignInFailed
from workshop.permissions import require

_SCRYPT = dict(n=2**14, r=8, p=1, dklen=32)


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt_hex, digest_hex = stored.split("$")
    digest = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


def check_pin_format(pin: str) -> str:
    pin = (pin or "").strip()
    if not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise InvalidInput("A PIN is 4 to 8 digits.", "pin")
    return pin


def sign_in(staff_id: int, pin: str) -> Staff:
    """Check a PIN. Repeated failures lock the account for a while; the lock is recorded."""
    def work():
        staff = Staff.get_or_none((Staff.id == staff_id) & Staff.active)
        if staff is None:
            raise SignInFailed("No such active staff member.")
        now = clock.now()
        if staff.locked_until and staff.locked_until > now:
            wait = int((staff.locked_until - now).total_seconds() // 60) + 1
            raise SignInFailed(f"{staff.name} is locked after too many wrong PINs; try again in {wait} min "
                               "or ask a manager to reset the PIN.")
        if pin_matches(pin or "", staff.pin_hash):
            Staff.update(failed_pins=0, locked_until=None).where(Staff.id == staff.id).execute()
            audit.record(staff, "signed_in", "staff", staff.id, f"{staff.name} signed in")
            return Staff.get_by_id(staff.id)
        failures = staff.failed_pins + 1
        limit = int(settings.get("pin_max_failures"))
        if failures >= limit:
            until = now + dt.timedelta(minutes=int(settings.get("pin_lockout_minutes")))
            Staff.update(failed_pins=0, locked_until=until).where(Staff.id == staff.id).execute()
            audit.record(None, "sign_in_locked", "staff", staff.id,
                         f"{staff.name} locked until {until:%H:%M} after {failures} wrong PINs")
            return SignInFailed(f"Wrong PIN. {staff.name} is now locked until {until:%H:%M}.")
        Staff.update(failed_pins=failures).where(Staff.id == staff.id).execute()
        return SignInFailed(f"Wrong PIN ({limit - failures} tries left before the account locks).")

    result = run_write(work)
    if isinstance(result, SignInFailed):
        raise result  # raised outside the transaction so the failure count is kept
    return result


def sign_out(staff: Staff, reason: str = "signed out") -> None:
    run_write(lambda: audit.record(staff, "signed_out", "staff", staff.id, f"{staff.name} {reason}"))


def _check_roles(roles: list[str], trade: str | None) -> str:
    roles = [r for r in dict.fromkeys(roles) if r]
    if not roles:
        raise InvalidInput("Give the staff member at least one role.", "roles")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise InvalidInput(f"Unknown role(s): {', '.join(unknown)}.", "roles")
    if "technician" in roles and trade not in TRADES:
        raise InvalidInput(f"A technician needs a trade ({', '.join(TRADES)}).", "trade")
    return ",".join(roles)


def add_staff(login: str, name: str, roles: list[str], pin: str, *, by: Staff | None,
              trade: str | None = None) -> Staff:
    """Add a staff member (managers only; ``by=None`` only when the shop has no staff yet)."""
    if by is not None or Staff.select().exists():
        require(by, "manage_staff")
    login = validation.text(login, "login", "Login", max_len=32).lower()
    if not login.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise InvalidInput("A login has only letters, digits, dots, dashes and underscores.", "login")
    name = validation.text(name, "name", "Name", max_len=60)
    role_text = _check_roles(roles, trade)
    pin = check_pin_format(pin)

    def work():
        if Staff.select().where(Staff.login == login).exists():
            raise InvalidInput(f"Login '{login}' is taken.", "login")
        staff = Staff.create(login=login, name=name, roles=role_text, trade=trade if "technician" in roles else None,
                             pin_hash=hash_pin(pin))
        audit.record(by, "staff_added", "staff", staff.id, f"Staff {name} added as {role_text}",
                     after={"login": login, "name": name, "roles": role_text, "trade": staff.trade})
        return staff

    return run_write(work)


def set_roles(staff_id: int, roles: list[str], *, by: Staff, trade: str | None = None,
              active: bool | None = None) -> Staff:
    """Change a staff member's roles (and trade, and whether they may sign in)."""
    require(by, "manage_staff")
    role_text = _check_roles(roles, trade)

    def work():
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise NotFound("No such staff member.")
        before = {"roles": staff.roles, "trade": staff.trade, "active": staff.active}
        new_active = staff.active if active is None else active
        if staff.id == by.id and ("manager" not in role_text.split(",") or not new_active):
            raise InvalidInput("You cannot take your own manager role away or deactivate yourself.", "roles")
        Staff.update(roles=role_text, trade=trade if "technician" in roles else None, active=new_active).where(
            Staff.id == staff.id).execute()
        after = {"roles": role_text, "trade": trade if "technician" in roles else None, "active": new_active}
        audit.record(by, "staff_roles_set", "staff", staff.id, f"{staff.name}: roles {role_text}",
                     before=before, after=after)
        return Staff.get_by_id(staff.id)

    return run_write(work)


def reset_pin(staff_id: int, new_pin: str, *, by: Staff) -> None:
    """Give a staff member a new PIN and lift any lockout (managers only)."""
    require(by, "manage_staff")
    pin = check_pin_format(new_pin)

    def work():
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise NotFound("No such staff member.")
        Staff.update(pin_hash=hash_pin(pin), failed_pins=0, locked_until=None).where(Staff.id == staff.id).execute()
        audit.record(by, "pin_reset", "staff", staff.id, f"PIN of {staff.name} reset")

    run_write(work)


def set_language(staff_id: int, language: str | None, *, by: Staff) -> Staff:
    """Set the language a staff member reads (``en``, ``zh_CN``; None or "" for the terminal's own):
    anyone for themself, a manager for anyone. It applies from their next sign-in on any terminal."""
    from workshop.i18n import LANGUAGES, _
    if by is None or (by.id != staff_id):
        require(by, "manage_staff")
    language = (language or "").strip() or None
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(_("Unknown language {code}: choose one of {choices}.").format(
            code=language, choices=", ".join(LANGUAGES)), "language")

    def work():
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise NotFound(_("No such staff member."))
        Staff.update(language=language).where(Staff.id == staff.id).execute()
        audit.record(by, "staff_language_set", "staff", staff.id, f"{staff.name}: language {language or 'terminal'}",
                     before={"language": staff.language}, after={"language": language})
        return Staff.get_by_id(staff.id)

    return run_write(work)


def all_staff(*, search: str = "", include_inactive: bool = True) -> list[Staff]:
    """Staff by name, optionally only those whose name or login contains ``search``."""
    query = Staff.select().order_by(Staff.active.desc(), Staff.name)
    if not include_inactive:
        query = query.where(Staff.active == True)  # noqa: E712
    text = (search or "").strip()
    if text:
        query = query.where(Staff.name.contains(text) | Staff.login.contains(text.lower()))
    return list(query.limit(500))


@dataclass(frozen=True)
class SignInChoice:
    id: int
    name: str
    roles: str  # comma-separated, as stored


@dataclass(frozen=True)
class SignInList:
    people: tuple[SignInChoice, ...]  # active staff by name
    demo_pin_works: bool  # the first of them signs in with the demo PIN: a demo shop


def sign_in_list(demo_pin: str, *, limit: int = 500) -> SignInList:
    """Whom the sign-in screen lists (active staff by name, at most ``limit``), and whether this is a
    demo shop whose staff sign in with ``demo_pin`` (one query; no PIN hash leaves this module)."""
    rows = list(Staff.select(Staff.id, Staff.name, Staff.roles, Staff.pin_hash).where(Staff.active)
                .order_by(Staff.name).limit(limit).tuples())
    return SignInList(people=tuple(SignInChoice(sid, name, roles) for sid, name, roles, _ in rows),
                      demo_pin_works=bool(rows) and pin_matches(demo_pin, rows[0][3]))


def ensure_first_manager() -> tuple[Staff, str] | None:
    """On an empty shop, create the first manager with a random PIN; returns it and the PIN to show."""
    if Staff.select().exists():
        return None
    pin = f"{secrets.randbelow(10**6):06d}"
    return add_staff("manager", "Shop Manager", ["manager"], pin, by=None), pin


def staff_for_login(unix_login: str, mapping: dict[str, str]) -> Staff | None:
    """The staff member an SSH login maps to (config file), if any."""
    login = mapping.get(unix_login)
    if not login:
        return None
    return Staff.get_or_none((Staff.login == login) & Staff.active)
