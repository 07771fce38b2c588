"""Maintenance packages (保養套餐): first service 首保 and regular services 定保 as a named set of catalog
operations sold at one price. At reception a package brings its operations as job lines and their kits as
parts; the bill lists them and charges the package's price for all of them (workshop/pricing.py, rule 2a)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from models.db import run_write
from models.people import Staff
from models.shop import MaintenancePackage, Operation, PackageOperation
from workshop import audit, i18n, validation
from workshop.amounts import MAX_PRICE, decimal
from workshop.catalog import code_of
from workshop.errors import InvalidInput, NotFound
from workshop.i18n import N_, _
from workshop.phrase import Phrase
from workshop.permissions import require


@dataclass
class PackageForm:
    code: str = ""
    name: str = ""
    name_zh: str = ""
    price: str = ""
    operation_codes: str | list[str] = ""   # in order, comma separated


@dataclass(frozen=True)
class PackageRow:
    id: int
    code: str
    name: str          # in the reader's language
    name_en: str
    name_zh: str
    price: Decimal
    active: bool
    operations: tuple[tuple[str, str], ...]   # (code, name in the reader's language)

    def form(self) -> PackageForm:
        return PackageForm(self.code, self.name_en, self.name_zh, str(self.price),
                           ", ".join(code for code, _name in self.operations))


def _codes(value) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else str(value or "").replace("，", ",").replace(";", ",").split(",")
    out = []
    for item in items:
        if str(item).strip():
            code = code_of(item, "operation_codes", _("Operation code"))
            if code in out:
                raise InvalidInput(_("{code} is twice in the package.").format(code=code), "operation_codes")
            out.append(code)
    if not out:
        raise InvalidInput(_("A package holds at least one operation."), "operation_codes")
    return out


def validate_package(form: PackageForm) -> tuple[dict, list[str]]:
    price = decimal(form.price, "price", _("Package price"), maximum=MAX_PRICE)
    if price == 0:
        raise InvalidInput(_("A package's price must be more than zero."), "price")
    return dict(code=code_of(form.code, "code", _("Package code")),
                name=validation.text(form.name, "name", _("Name"), max_len=100),
                name_zh=validation.text(form.name_zh, "name_zh", _("Chinese name"), max_len=100, required=False),
                price=price), _codes(form.operation_codes)


def _operations(codes: list[str]) -> list[Operation]:
    found = {op.code: op for op in Operation.select().where(Operation.code.in_(codes))}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise InvalidInput(_("Not in the operations catalog: {codes}.").format(codes=", ".join(unknown)),
                           "operation_codes")
    retired = [c for c in codes if not found[c].active]
    if retired:
        raise InvalidInput(_("Retired operations cannot go in a package: {codes}.").format(codes=", ".join(retired)),
                           "operation_codes")
    return [found[c] for c in codes]


def _package(package_id: int) -> MaintenancePackage:
    found = MaintenancePackage.get_or_none(MaintenancePackage.id == package_id)
    if found is None:
        raise NotFound(_("That package does not exist."))
    return found


def _code_free(code: str, other_than: int | None) -> None:
    query = MaintenancePackage.select(MaintenancePackage.id).where(MaintenancePackage.code == code)
    if other_than is not None:
        query = query.where(MaintenancePackage.id != other_than)
    if query.exists():
        raise InvalidInput(_("Package code {code} is taken.").format(code=code), "code")


def _set_operations(package_id: int, ops: list[Operation]) -> None:
    PackageOperation.delete().where(PackageOperation.package == package_id).execute()
    for position, op in enumerate(ops, 1):
        PackageOperation.create(package=package_id, operation=op.id, position=position)


def insert_package(data: dict, codes: list[str], *, by: Staff | None) -> MaintenancePackage:
    _code_free(data["code"], None)
    ops = _operations(codes)
    package = MaintenancePackage.create(**data)
    _set_operations(package.id, ops)
    audit.record(by, "package_added", "maintenance_package", package.id, Phrase(N_("Package {code} {name} added"), code=package.code,
                                                                              name=package.name),
                 after=dict(data, operations=codes))
    return package


def add_package(form: PackageForm, *, by: Staff) -> MaintenancePackage:
    """A new maintenance package."""
    data, codes = validate_package(form)
    return run_write(lambda: insert_package(data, codes, by=require(by, "shop_setup")))


def edit_package(package_id: int, form: PackageForm, *, by: Staff) -> MaintenancePackage:
    """Change a package (orders it was sold on keep the price and lines they had)."""
    data, codes = validate_package(form)

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        package = _package(package_id)
        _code_free(data["code"], package.id)
        ops = _operations(codes)
        old_codes = [c for (c,) in PackageOperation.select(Operation.code).join(Operation)
                     .where(PackageOperation.package == package.id).order_by(PackageOperation.position).tuples()]
        before = {k: getattr(package, k) for k in data if getattr(package, k) != data[k]}
        after = {k: data[k] for k in before}
        if old_codes != codes:
            before["operations"], after["operations"] = old_codes, codes
        if not after:
            return package
        MaintenancePackage.update(**data).where(MaintenancePackage.id == package.id).execute()
        _set_operations(package.id, ops)
        audit.record(by, "package_changed", "maintenance_package", package.id,
                     Phrase(N_("Package {code}: {fields} changed"), code=data["code"],
                            fields=audit.changed_fields(after)), before=before, after=after)
        return _package(package.id)

    return run_write(work)


def set_active(package_id: int, active: bool, *, by: Staff) -> MaintenancePackage:
    """Retire a package (no longer sold) or offer it again."""

    def work():
        nonlocal by
        by = require(by, "shop_setup")
        package = _package(package_id)
        if package.active != active:
            MaintenancePackage.update(active=active).where(MaintenancePackage.id == package.id).execute()
            audit.record(by, "package_retired" if not active else "package_reactivated", "maintenance_package",
                         package.id, (Phrase(N_("Package {code} retired"), code=package.code) if not active
                          else Phrase(N_("Package {code} offered again"), code=package.code)),
                         before={"active": package.active}, after={"active": active})
        return _package(package.id)

    return run_write(work)


def list_packages(*, include_retired: bool = True) -> list[PackageRow]:
    """Every package with its operations in order (two queries)."""
    query = MaintenancePackage.select().order_by(MaintenancePackage.active.desc(), MaintenancePackage.code)
    if not include_retired:
        query = query.where(MaintenancePackage.active)
    packages = list(query.limit(500))
    ops: dict[int, list[tuple[str, str]]] = {}
    if packages:
        for pid, code, name, name_zh in (PackageOperation.select(PackageOperation.package, Operation.code,
                                                                 Operation.name, Operation.name_zh)
                                         .join(Operation).where(PackageOperation.package.in_([p.id for p in packages]))
                                         .order_by(PackageOperation.package, PackageOperation.position).tuples()):
            ops.setdefault(pid, []).append((code, i18n.local(name, name_zh)))
    return [PackageRow(p.id, p.code, i18n.local(p.name, p.name_zh), p.name, p.name_zh or "", Decimal(p.price),
                       bool(p.active), tuple(ops.get(p.id, ()))) for p in packages]


def find_packages(text: str = "", *, limit: int = 10) -> list[PackageRow]:
    """Packages on sale whose code or either name contains ``text`` (all when blank), by code."""
    wanted = (text or "").strip().casefold()
    return [p for p in list_packages(include_retired=False)
            if not wanted or wanted in p.code.casefold() or wanted in p.name_en.casefold()
            or wanted in p.name_zh.casefold()][:limit]


def package_by_code(code: str) -> tuple[MaintenancePackage, list[Operation]]:
    """An active package and its operations in order, for reception."""
    code = (code or "").strip().upper()
    package = MaintenancePackage.get_or_none(MaintenancePackage.code == code)
    if package is None or not package.active:
        raise InvalidInput(_("No maintenance package {code} is on sale.").format(code=code), "packages")
    ops = list(Operation.select().join(PackageOperation, on=(PackageOperation.operation == Operation.id))
               .where(PackageOperation.package == package.id).order_by(PackageOperation.position))
    return package, ops
