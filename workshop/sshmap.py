"""Front desk over SSH: a config file maps each Unix login to a staff member, who lands signed in."""
from __future__ import annotations

import getpass
import os
from pathlib import Path

from models.people import Staff
from workshop import audit
from workshop.i18n import N_
from workshop.phrase import Phrase
from models.db import run_write


def read_map(path: str | Path) -> dict[str, str]:
    """Lines of 'unix_login = staff_login'; blank lines and # comments ignored."""
    mapping = {}
    for raw in Path(path).read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if "=" in line:
            unix, staff = (part.strip() for part in line.split("=", 1))
            if unix and staff:
                mapping[unix] = staff.lower()
    return mapping


def signed_in_staff(map_path: str | None) -> Staff | None:
    """The staff member this Unix login maps to, signed in (recorded), or None to ask at the screen."""
    map_path = map_path or os.environ.get("WORKSHOP_SSH_MAP")
    if not map_path or not Path(map_path).exists():
        return None
    login = read_map(map_path).get(getpass.getuser())
    if not login:
        return None
    staff = Staff.get_or_none((Staff.login == login) & Staff.active)
    if staff is not None:
        where = os.environ.get("SSH_CONNECTION", "").split(" ")[0] or "local"
        run_write(lambda: audit.record(staff, "signed_in", "staff", staff.id,
                                       Phrase(N_("{name} signed in as {login} from {source}"), name=staff.name,
                                              login=getpass.getuser(), source=where)))
    return staff
