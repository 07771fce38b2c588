"""Front desk over SSH: a config file maps each Unix login to a staff member, who lands signed in.

The map signs people in without a PIN, so it is trusted only when nobody else could have written it: it must be
owned by root or by the account that owns the installed app, and not be writable by its group or by others
(on the README's set-up every front-desk login is in the group of the shop's folder). The Unix login is the
one the kernel says this process runs as (its uid), never $LOGNAME or $USER, which the client can set.
"""
from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

from models.people import Staff
from workshop import audit
from workshop.i18n import N_
from workshop.phrase import Phrase
from models.db import run_write
from workshop.errors import DomainError
from workshop.i18n import _


class UnsafeMap(DomainError):
    """The map could have been written by someone other than root or the app's owner: it is not used."""


def unix_login() -> str:
    """This process's Unix login, from its uid."""
    return pwd.getpwuid(os.getuid()).pw_name


def app_owner() -> int:
    """The uid that owns the installed app's code (the account that installed it, e.g. for /srv/workshop)."""
    return Path(__file__).resolve().parent.stat().st_uid


def read_map(path: str | Path) -> dict[str, str]:
    """Lines of 'unix_login = staff_login'; blank lines and # comments ignored. Refuses (UnsafeMap) a map
    owned by anyone but root or the app's owner, or writable by its group or others."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    with os.fdopen(fd, encoding="utf-8") as file:
        info = os.fstat(file.fileno())  # of the file actually read: a path swapped meanwhile changes nothing
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeMap(_("The SSH map {path} is not a plain file: it is not used.").format(path=path))
        owners = {0, app_owner()}
        if info.st_uid not in owners:
            raise UnsafeMap(_("The SSH map {path} belongs to {owner}, not to root or the app's owner: nobody is "
                              "signed in by it. Give it to root (chown root {path}).").format(
                path=path, owner=_owner_name(info.st_uid)))
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise UnsafeMap(_("The SSH map {path} can be changed by other logins (mode {mode}): nobody is signed in "
                              "by it. Make it writable by its owner only (chmod 644 {path}).").format(
                path=path, mode=oct(info.st_mode & 0o777)[2:]))
        text = file.read()
    mapping = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if "=" in line:
            unix, staff = (part.strip() for part in line.split("=", 1))
            if unix and staff:
                mapping[unix] = staff.lower()
    return mapping


def _owner_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def signed_in_staff(map_path: str | None) -> Staff | None:
    """The staff member this Unix login maps to, signed in (recorded), or None to ask at the screen."""
    map_path = map_path or os.environ.get("WORKSHOP_SSH_MAP")
    if not map_path or not Path(map_path).exists():
        return None
    who = unix_login()
    login = read_map(map_path).get(who)
    if not login:
        return None
    staff = Staff.get_or_none((Staff.login == login) & Staff.active)
    if staff is not None:
        where = os.environ.get("SSH_CONNECTION", "").split(" ")[0]
        where = where if where and all(c in "0123456789abcdefABCDEF.:%" for c in where) else "local"
        run_write(lambda: audit.record(staff, "signed_in", "staff", staff.id,
                                       Phrase(N_("{name} signed in as {login} from {source}"), name=staff.name,
                                              login=who, source=where)))
    return staff
