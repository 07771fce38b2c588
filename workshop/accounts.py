"""Staff accounts: PINs stored as salted scrypt hashes, sign-in with lockout, and staff management."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import socket
from dataclasses import dataclass

from peewee import fn

from models.db import run_write
from models.people import ROLES, TRADES, SignInAttempt, Staff
from models.shop import Setting
from workshop import audit, clock, settings, validation
from workshop.actor import Actor
from workshop.errors import InvalidInput, NotFound, SignInFailed
from workshop.i18n import N_, _, ngettext
from workshop.phrase import Items, Phrase, Term, When
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
        raise InvalidInput(_("A PIN is 4 to 8 digits."), "pin")
    return pin


# --- sign-in with back-off -------------------------------------------------------------------------
#
# A wrong PIN costs the next try a wait, never a lock a colleague could put on someone: waits are
# kept per terminal (the source) and per person, and they grow with repeated failures. A terminal
# from which a person signed in before (in the last ``pin_familiar_days``) is *familiar* to them (as
# "familiar locations" in smart lockouts): there only that person's failures at that terminal count,
# so somebody typing wrong PINs for a colleague elsewhere cannot keep the colleague out of their own
# terminals. Elsewhere, both the terminal's failures (for anyone) and the person's failures from
# unfamiliar terminals count. Counters cover the last ``pin_window_hours``; ``guesses_per_day`` says
# what that allows (README, "Sign-in").

# The numbers (pin_free_failures, pin_terminal_free_failures, pin_backoff_first_seconds, pin_backoff_max_minutes,
# pin_window_hours, pin_familiar_days) are declared with their bounds in workshop/settings.py.


def terminal_source(environ=None) -> str:
    """Where this terminal's sign-ins come from: the SSH client's address, else this host and Unix
    user (a new window on the same terminal is the same source)."""
    environ = os.environ if environ is None else environ
    client = (environ.get("SSH_CONNECTION") or environ.get("SSH_CLIENT") or "").split(" ")[0]
    if client:
        return f"ssh {client}"[:120]
    return f"local {socket.gethostname()} uid {os.getuid()}"[:120]


def backoff_seconds(failures: int, free: int) -> int:
    """The wait before the next try after ``failures`` failures of which ``free`` cost nothing."""
    if failures < free:
        return 0
    first = int(settings.get("pin_backoff_first_seconds"))
    ceiling = int(settings.get("pin_backoff_max_minutes")) * 60
    return min(first * 2 ** min(failures - free, 30), ceiling)


def guesses_per_day(free: int) -> int:
    """How many PINs one back-off counter lets through in 24 hours, trying the moment each wait ends."""
    window = int(settings.get("pin_window_hours")) * 3600
    times: list[float] = []
    now = 0.0
    while now < 86400:
        counted = [t for t in times if t > now - window]
        wait = backoff_seconds(len(counted), free)
        now = max(now, counted[-1] + wait if counted and wait else now)
        if now >= 86400:
            break
        times.append(now)
        now += 1  # a person types a PIN in about a second
    return len(times)


@dataclass(frozen=True)
class _Counter:
    failures: int
    last: dt.datetime | None
    free: int

    def wait_until(self) -> dt.datetime | None:
        wait = backoff_seconds(self.failures, self.free)
        return self.last + dt.timedelta(seconds=wait) if wait and self.last else None


def _as_dt(value):
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def _failures(condition, free: int) -> _Counter:
    count, last = (SignInAttempt.select(fn.COUNT(SignInAttempt.id), fn.MAX(SignInAttempt.at))
                   .where(condition & (SignInAttempt.ok == False)).tuples().first())  # noqa: E712
    return _Counter(count or 0, _as_dt(last), free)


def _counters(staff_id: int, source: str, now: dt.datetime) -> list[_Counter]:
    """The back-off counters that govern a try for this person from this source (indexed reads)."""
    since = now - dt.timedelta(hours=int(settings.get("pin_window_hours")))
    familiar_since = now - dt.timedelta(days=int(settings.get("pin_familiar_days")))
    free = int(settings.get("pin_free_failures"))
    mine = (SignInAttempt.staff == staff_id) & (SignInAttempt.at > since)
    familiar = (SignInAttempt.select(SignInAttempt.source).distinct()
                .where((SignInAttempt.staff == staff_id) & SignInAttempt.ok & (SignInAttempt.at > familiar_since)))
    if any(src == source for (src,) in familiar.tuples()):
        return [_failures(mine & (SignInAttempt.source == source), free)]
    terminal = _failures((SignInAttempt.source == source) & (SignInAttempt.at > since),
                         int(settings.get("pin_terminal_free_failures")))
    return [terminal, _failures(mine & SignInAttempt.source.not_in(familiar), free)]


def _wait_message(name: str, until: dt.datetime, now: dt.datetime) -> str:
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    wait = (ngettext("{n} second", "{n} seconds", seconds) if seconds < 120 else
            ngettext("{n} minute", "{n} minutes", (seconds + 59) // 60)).format(n=seconds if seconds < 120
                                                                              else (seconds + 59) // 60)
    return _("Too many wrong PINs for {name}: try again in {wait}, or ask a manager to lift the "
             "lockout.").format(name=name, wait=wait)


def sign_in(staff_id: int, pin: str, *, source: str | None = None) -> Actor:
    """Check a PIN typed for a staff member at a terminal; returns who signed in.

    The try is counted first, in a short write transaction that also refuses it while a back-off runs
    (so terminals trying in parallel queue for the same wait); the PIN is hashed with no lock held
    (scrypt takes ~50 ms, and held under the write lock it delayed every terminal's writes); a second
    short transaction records the outcome."""
    source = (source or terminal_source())[:120]

    def count_try():
        staff = Staff.by_id(staff_id)
        if staff is None or not staff.active:
            raise SignInFailed(_("No such active staff member."))
        now = clock.now()
        waits = [until for until in (c.wait_until() for c in _counters(staff.id, source, now)) if until]
        if waits and max(waits) > now:
            raise SignInFailed(_wait_message(staff.name, max(waits), now))
        attempt = SignInAttempt.insert_row(staff=staff.id, source=source, at=now, ok=False)
        return staff, attempt

    staff, attempt = run_write(count_try)
    matched = pin_matches(pin or "", staff.pin_hash)

    def record_outcome():
        now = clock.now()
        if matched:
            SignInAttempt.update(ok=True, at=now).where(SignInAttempt.id == attempt).execute()
            # What no counter reads any more: failures out of the window, sources no longer familiar.
            window = now - dt.timedelta(hours=int(settings.get("pin_window_hours")))
            stale = now - dt.timedelta(days=int(settings.get("pin_familiar_days")))
            SignInAttempt.delete().where((SignInAttempt.at < stale)
                                         | ((SignInAttempt.at < window) & (SignInAttempt.ok == False))).execute()  # noqa: E712
            audit.record(staff, "signed_in", "staff", staff.id,
                         Phrase(N_("{name} signed in from {source}"), name=staff.name, source=source))
            return None
        counters = _counters(staff.id, source, now)
        waits = [until for until in (c.wait_until() for c in counters) if until]
        if not waits:
            return SignInFailed(_("Wrong PIN."))
        until = max(waits)
        failures = max(c.failures for c in counters)
        audit.record(None, "sign_in_locked", "staff", staff.id,
                     Phrase(N_("Sign-in for {name} from {source} held until {time} after {n} wrong PINs"),
                            name=staff.name, source=source, time=When(until, "%H:%M:%S"), n=failures),
                     after={"source": source, "until": until, "failures": failures})
        return SignInFailed(_("Wrong PIN.") + " " + _wait_message(staff.name, until, now))

    failed = run_write(record_outcome)
    if failed is not None:
        raise failed
    from workshop import shops
    return shops.at_sign_in(Actor.of(staff))  # the shop this terminal works in (a one-shop database: shop 1)


# --- badges: sign-in at a shared shop-floor terminal ----------------------------------------------------

def _badge(value) -> str:
    badge = (value or "").strip().upper()
    if not badge or len(badge) > 16 or not badge.isalnum():
        raise InvalidInput(_("A badge number is 1 to 16 letters and digits."), "badge")
    return badge


def sign_in_badge(badge: str, pin: str, *, source: str | None = None) -> Actor:
    """Sign in with the number on a staff badge and a PIN (a shop-floor terminal, where nobody picks their
    name from a list); the same back-offs as any sign-in."""
    number = _badge(badge)
    staff_id = Staff.select(Staff.id).where((Staff.badge == number) & Staff.active).scalar()
    if staff_id is None:
        raise SignInFailed(_("Badge {badge} is not known here: ask a manager.").format(badge=number), "badge")
    return sign_in(staff_id, pin, source=source)


def demo_badges(limit: int = 4) -> list[tuple[str, str]]:
    """(name, badge) of a few technicians, on a demo shop only (the badge sign-in screen tells them, as the
    name list tells the demo PIN); nothing on a real shop."""
    if not is_demo_shop():
        return []
    return list(Staff.select(Staff.name, Staff.badge)
                .where(Staff.active & Staff.badge.is_null(False) & Staff.roles.contains("technician"))
                .order_by(Staff.id).limit(limit).tuples())


def set_badge(staff_id: int, badge: str | None, *, by) -> Staff:
    """Give a staff member a badge number (managers); blank takes it away."""
    number = _badge(badge) if (badge or "").strip() else None

    def work():
        nonlocal by
        by = require(by, "manage_staff")
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise NotFound(_("No such staff member."))
        if number is not None:
            holder = Staff.get_or_none((Staff.badge == number) & (Staff.id != staff.id))
            if holder is not None:
                raise InvalidInput(_("Badge {badge} is {name}'s already.").format(badge=number, name=holder.name),
                                   "badge")
        Staff.update(badge=number).where(Staff.id == staff.id).execute()
        audit.record(by, "staff_badge_set", "staff", staff.id,
                     Phrase(N_("{name}: badge {badge}"), name=staff.name, badge=number or "-"),
                     before={"badge": staff.badge}, after={"badge": number})
        return Staff.get_by_id(staff.id)

    return run_write(work)


def wrong_pins() -> dict[int, int]:
    """Wrong PINs per staff member still counting (within ``pin_window_hours``), for the staff screen:
    from ``pin_free_failures`` on, the person waits at the terminals where they failed (one query)."""
    since = clock.now() - dt.timedelta(hours=int(settings.get("pin_window_hours")))
    return dict(SignInAttempt.select(SignInAttempt.staff, fn.COUNT(SignInAttempt.id))
                .where((SignInAttempt.at > since) & (SignInAttempt.ok == False))  # noqa: E712
                .group_by(SignInAttempt.staff).tuples())


def lift_lockout(staff_id: int, *, by) -> int:
    """Forget a staff member's wrong PINs, at every terminal (managers); returns how many were forgotten."""

    def work():
        nonlocal by
        by = require(by, "manage_staff")
        staff = Staff.by_id(staff_id)
        if staff is None:
            raise NotFound(_("No such staff member."))
        forgotten = SignInAttempt.delete().where((SignInAttempt.staff == staff.id)
                                                 & (SignInAttempt.ok == False)).execute()  # noqa: E712
        audit.record(by, "sign_in_lifted", "staff", staff.id,
                     Phrase(N_("Sign-in lockout of {name} lifted ({n} wrong PINs forgotten)"), name=staff.name,
                            n=forgotten),
                     before={"failures": forgotten}, after={"failures": 0})
        return forgotten

    return run_write(work)


def sign_out(staff, idle_minutes: int | None = None, *, idle_seconds: int | None = None,
             after_action: bool = False) -> None:
    """Sign a staff member out: by themself, after ``idle_minutes`` (or, at a shop-floor terminal,
    ``idle_seconds``) without input, or ``after_action`` (a shop-floor terminal after a clock action)."""
    if idle_minutes is not None:
        summary = Phrase(N_("{name} was signed out after {minutes} minutes idle"), name=staff.name,
                         minutes=idle_minutes)
    elif idle_seconds is not None:
        summary = Phrase(N_("{name} was signed out after {seconds} seconds idle"), name=staff.name,
                         seconds=idle_seconds)
    elif after_action:
        summary = Phrase(N_("{name} was signed out after a clock action"), name=staff.name)
    else:
        summary = Phrase(N_("{name} signed out"), name=staff.name)
    run_write(lambda: audit.record(staff, "signed_out", "staff", staff.id, summary))


def _roles(role_text: str) -> Items:
    return Items(Term("models.people:ROLE_LABELS", role) for role in role_text.split(","))


def _check_roles(roles: list[str], trade: str | None) -> str:
    roles = [r for r in dict.fromkeys(roles) if r]
    if not roles:
        raise InvalidInput(_("Give the staff member at least one role."), "roles")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise InvalidInput(_("Unknown role(s): {roles}.").format(roles=", ".join(unknown)), "roles")
    if "technician" in roles and trade not in TRADES:
        from models.people import TRADE_LABELS
        from workshop.i18n import join, label
        raise InvalidInput(_("A technician needs a trade ({trades}).").format(
            trades=join(label(TRADE_LABELS, t) for t in TRADES)), "trade")
    return ",".join(roles)


def add_staff(login: str, name: str, roles: list[str], pin: str, *, by: Staff | None,
              trade: str | None = None) -> Staff:
    """Add a staff member (managers only; ``by=None`` only when the shop has no staff yet)."""
    login = validation.text(login, "login", _("Login"), max_len=32).lower()
    if not login.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise InvalidInput(_("A login has only letters, digits, dots, dashes and underscores."), "login")
    name = validation.text(name, "name", _("Name"), max_len=60)
    role_text = _check_roles(roles, trade)
    pin_hash = hash_pin(check_pin_format(pin))  # before the transaction: scrypt is slow, the write lock shared
    from workshop import shops
    home = shops.of(by)  # the shop of the terminal they are added at (a group's; shop 1 in a one-shop database)

    def work():
        nonlocal by
        if by is not None or Staff.select().exists():
            by = require(by, "manage_staff")
        if Staff.select().where(Staff.login == login).exists():
            raise InvalidInput(_("Login '{login}' is taken.").format(login=login), "login")
        staff = Staff.create(login=login, name=name, roles=role_text, trade=trade if "technician" in roles else None,
                             pin_hash=pin_hash, home_shop=home)
        audit.record(by, "staff_added", "staff", staff.id,
                     Phrase(N_("Staff {name} added as {roles}"), name=name, roles=_roles(role_text)),
                     after={"login": login, "name": name, "roles": role_text, "trade": staff.trade})
        return staff

    return run_write(work)


def set_roles(staff_id: int, roles: list[str], *, by: Staff, trade: str | None = None,
              active: bool | None = None) -> Staff:
    """Change a staff member's roles (and trade, and whether they may sign in)."""
    role_text = _check_roles(roles, trade)

    def work():
        nonlocal by
        by = require(by, "manage_staff")
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise NotFound(_("No such staff member."))
        before = {"roles": staff.roles, "trade": staff.trade, "active": staff.active}
        new_active = staff.active if active is None else active
        if staff.id == by.id and ("manager" not in role_text.split(",") or not new_active):
            raise InvalidInput(_("You cannot take your own manager role away or deactivate yourself."), "roles")
        Staff.update(roles=role_text, trade=trade if "technician" in roles else None, active=new_active).where(
            Staff.id == staff.id).execute()
        after = {"roles": role_text, "trade": trade if "technician" in roles else None, "active": new_active}
        audit.record(by, "staff_roles_set", "staff", staff.id,
                     Phrase(N_("{name}: roles {roles}"), name=staff.name, roles=_roles(role_text)),
                     before=before, after=after)
        return Staff.get_by_id(staff.id)

    return run_write(work)


def reset_pin(staff_id: int, new_pin: str, *, by: Staff) -> None:
    """Give a staff member a new PIN and lift any lockout (managers only)."""
    pin = check_pin_format(new_pin)
    new_hash = hash_pin(pin)  # before the transaction: scrypt is slow and the write lock is shared

    def work():
        nonlocal by
        by = require(by, "manage_staff")
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise NotFound(_("No such staff member."))
        Staff.update(pin_hash=new_hash, failed_pins=0, locked_until=None).where(Staff.id == staff.id).execute()
        SignInAttempt.delete().where((SignInAttempt.staff == staff.id)
                                     & (SignInAttempt.ok == False)).execute()  # noqa: E712  (lifts a lockout)
        audit.record(by, "pin_reset", "staff", staff.id, Phrase(N_("PIN of {name} reset"), name=staff.name))

    run_write(work)


def set_language(staff_id: int, language: str | None, *, by: Staff) -> Staff:
    """Set the language a staff member reads (``en``, ``zh_CN``; None or "" for the terminal's own):
    anyone for themself, a manager for anyone. It applies from their next sign-in on any terminal."""
    from workshop.i18n import LANGUAGES
    language = (language or "").strip() or None
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(_("Unknown language {code}: choose one of {choices}.").format(
            code=language, choices=", ".join(LANGUAGES)), "language")

    def work():
        nonlocal by
        if by is None or by.id != staff_id:
            by = require(by, "manage_staff")
        staff = Staff.get_or_none(Staff.id == staff_id)
        if staff is None:
            raise NotFound(_("No such staff member."))
        Staff.update(language=language).where(Staff.id == staff.id).execute()
        audit.record(by, "staff_language_set", "staff", staff.id,
                     Phrase(N_("{name}: language {language}"), name=staff.name,
                            language=Term("workshop.i18n:LANGUAGE_NAMES", language or "")),
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
    demo_shop: bool  # created as a demo by the generator: every PIN is the demo PIN


# A Setting row the demo generator writes when it creates a shop. It is not one of settings.DEFAULTS,
# so no manager sets it by mistake; a real shop never has it, whatever its PINs are.
DEMO_FLAG = "demo_shop"


def mark_demo_shop() -> None:
    """Record that this shop was created as a demo (the generator calls it, once)."""
    Setting.insert(key=DEMO_FLAG, value="true").on_conflict_ignore().execute()


def is_demo_shop() -> bool:
    return Setting.select().where(Setting.key == DEMO_FLAG).exists()


def sign_in_list(*, limit: int = 500) -> SignInList:
    """Whom the sign-in screen lists (active staff by name, at most ``limit``), and whether this shop
    was created as a demo (two indexed reads; no PIN hash leaves this module)."""
    rows = list(Staff.select(Staff.id, Staff.name, Staff.roles).where(Staff.active)
                .order_by(Staff.name).limit(limit).tuples())
    return SignInList(people=tuple(SignInChoice(sid, name, roles) for sid, name, roles in rows),
                      demo_shop=is_demo_shop())


def ensure_first_manager() -> tuple[Staff, str] | None:
    """On an empty shop, create the first manager with a random PIN; returns it and the PIN to show."""
    if Staff.select().exists():
        return None
    pin = f"{secrets.randbelow(10**6):06d}"
    return add_staff("manager", _("Shop Manager"), ["manager"], pin, by=None), pin


def staff_for_login(unix_login: str, mapping: dict[str, str]) -> Staff | None:
    """The staff member an SSH login maps to (config file), if any."""
    login = mapping.get(unix_login)
    if not login:
        return None
    return Staff.get_or_none((Staff.login == login) & Staff.active)


@dataclass(frozen=True)
class StaffRow:
    """A staff member as the staff screen lists them (plain data, no model object)."""
    id: int
    name: str
    login: str
    roles: tuple[str, ...]
    trade: str | None
    active: bool
    wrong_pins: int  # wrong PINs still counting
    held: bool  # so many that they wait at the terminals where they failed
    language: str | None  # the language they read (None: the terminal's)
    badge: str | None = None  # the number on their badge (shop-floor sign-in)


def staff_rows(*, search: str = "") -> list[StaffRow]:
    """Everyone (active first, by name), or those whose name or login contains ``search`` (500 at most),
    with their wrong PINs (two queries)."""
    wrong = wrong_pins()
    held_from = int(settings.get("pin_free_failures"))
    return [StaffRow(s.id, s.name, s.login, tuple(r for r in s.roles.split(",") if r), s.trade, bool(s.active),
                     wrong.get(s.id, 0), wrong.get(s.id, 0) >= held_from, s.language, s.badge)
            for s in all_staff(search=search)]
