"""The person a terminal acts for: plain data the app holds between actions, not a database row.

A terminal signed in at nine still holds its Actor at five. What the Actor says about roles is only
what the screens use to show or hide keys; every service re-reads the staff member inside its own
transaction (``workshop.permissions.require``), so a deactivation or a demotion counts at once.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    id: int
    login: str
    name: str
    roles: tuple[str, ...]  # in the order they are stored
    language: str | None = None  # the person's preferred language, when the shop stores one
    # The shop this terminal works in (workshop/shops.py): their home shop until sign-in settles it.
    shop_id: int = 1
    shop_code: str = ""  # shown in the header of a group's terminals ("" in a one-shop database)

    @classmethod
    def of(cls, staff) -> "Actor":
        """The Actor for a staff member (a Staff row, or an Actor already)."""
        if isinstance(staff, Actor):
            return staff
        roles = tuple(r for r in (staff.roles or "").split(",") if r)
        return cls(staff.id, staff.login, staff.name, roles, getattr(staff, "language", None),
                   getattr(staff, "home_shop_id", None) or 1)

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(self.roles)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))
