"""What an empty shop still lacks before its first check-in, in the order a manager sets it up: the list the
first manager is walked through (and `workshop admin` could print). Each step says whether it is done, what is
there, and where to do it; a shop is ready for check-in when every required step is done."""
from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from models.parts import Part
from models.people import TRADE_LABELS, CustomerClass, Staff
from models.shop import Bay, LaborRate, Operation
from workshop import i18n, settings
from workshop.i18n import N_, _


@dataclass(frozen=True)
class Step:
    key: str
    title: str       # translated
    done: bool
    required: bool   # check-in is not possible without it
    detail: str      # what is there now, or what is missing (translated)


@dataclass(frozen=True)
class SetupStatus:
    steps: tuple[Step, ...]

    @property
    def ready(self) -> bool:
        """A car can be checked in: every required step is done."""
        return all(step.done for step in self.steps if step.required)

    @property
    def missing(self) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if not step.done)


TITLES = {"identity": N_("Shop identity for documents"), "bays": N_("Bays"), "rates": N_("Labour rates"),
          "operations": N_("Operations catalog"), "parts": N_("Parts catalog"), "classes": N_("Customer classes"),
          "staff": N_("Staff")}


def status() -> SetupStatus:
    """Each set-up step and whether it is done (a handful of counts)."""
    steps = []
    name_set = settings.get("shop_name") != settings.DEFAULTS["shop_name"]
    filled = [key for key in ("shop_address", "shop_phone", "shop_tax_number") if settings.get(key)]
    lacking_identity = ([settings.spec("shop_name").label] if not name_set else []) + [
        settings.spec(key).label for key in ("shop_address", "shop_phone", "shop_tax_number") if key not in filled]
    steps.append(Step("identity", _(TITLES["identity"]), not lacking_identity, False,
                      str(settings.get("shop_name")) if not lacking_identity
                      else _("still to fill in: {fields}").format(fields=", ".join(_(f) for f in lacking_identity))))
    bays = Bay.select(fn.COUNT(Bay.id)).where(Bay.active).scalar() or 0
    steps.append(Step("bays", _(TITLES["bays"]), bays > 0, True,
                      i18n.ngettext("{count} bay", "{count} bays", bays).format(count=bays) if bays
                      else _("no bay yet: dispatch needs at least one")))
    ops = Operation.select(fn.COUNT(Operation.id)).where(Operation.active).scalar() or 0
    needed = set(Operation.select(Operation.trade, Operation.price_class).where(Operation.active).distinct().tuples())
    have = set(LaborRate.select(LaborRate.trade, LaborRate.price_class).tuples())
    lacking = sorted(needed - have)
    rates = len(have)
    if lacking:
        detail = _("no rate for: {pairs}").format(pairs=", ".join(
            f"{i18n.label(TRADE_LABELS, trade)}/{pclass}" for trade, pclass in lacking))
    elif rates:
        detail = i18n.ngettext("{count} rate", "{count} rates", rates).format(count=rates)
    else:
        detail = _("no rate yet: every job line is priced at its trade's rate")
    steps.append(Step("rates", _(TITLES["rates"]), rates > 0 and not lacking, True, detail))
    steps.append(Step("operations", _(TITLES["operations"]), ops > 0, True,
                      i18n.ngettext("{count} operation", "{count} operations", ops).format(count=ops) if ops
                      else _("no operation yet: a repair order is made of catalog operations")))
    parts = Part.select(fn.COUNT(Part.id)).where(Part.active).scalar() or 0
    steps.append(Step("parts", _(TITLES["parts"]), parts > 0, False,
                      i18n.ngettext("{count} part", "{count} parts", parts).format(count=parts) if parts
                      else _("none yet: operations' kits are made of parts (F5, or workshop import parts)")))
    classes = CustomerClass.select(fn.COUNT(CustomerClass.id)).where(CustomerClass.active).scalar() or 0
    steps.append(Step("classes", _(TITLES["classes"]), classes > 0, False,
                      i18n.ngettext("{count} class", "{count} classes", classes).format(count=classes) if classes
                      else _("none yet: customers get no class discount")))
    roles = [r for (r,) in Staff.select(Staff.roles).where(Staff.active).tuples()]
    desk = sum(1 for r in roles if "advisor" in r.split(","))
    techs = sum(1 for r in roles if "technician" in r.split(","))
    people = (i18n.ngettext("{count} advisor", "{count} advisors", desk).format(count=desk),
              i18n.ngettext("{count} technician", "{count} technicians", techs).format(count=techs))
    steps.append(Step("staff", _(TITLES["staff"]), desk > 0 and techs > 0, False, ", ".join(people)))
    return SetupStatus(tuple(steps))
