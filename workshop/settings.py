"""Shop settings: every value a rule reads, declared once with its meaning, unit, bounds and default, and
changeable by a manager (audited, validated against the declaration).

One name per setting: rules read ``settings.get(key)`` with a key declared here, and
tests/test_settings.py fails when a declared setting is read by no rule or a rule reads an undeclared one.
Values are JSON in the ``setting`` table; decimals are kept as text ("13") so no float ever holds money.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from models.db import locked, run_write
from models.people import Staff
from models.shop import Setting, Shop, ShopSetting
from workshop import audit
from workshop.errors import InvalidInput
from workshop.i18n import N_, _
from workshop.permissions import require
from workshop.phrase import Phrase

GROUPS = {
    "identity": N_("Shop identity (on documents)"),
    "documents": N_("Documents"),
    "input": N_("Plates, phones and VINs"),
    "sign_in": N_("Signing in"),
    "money": N_("Prices, tax and discounts"),
    "qc": N_("Quality control"),
    "callbacks": N_("Callbacks and complaints"),
    "reminders": N_("Reminders"),
    "hours": N_("Opening hours and appointments"),
    "shop_floor": N_("Shop floor"),
}
UNIT_LABELS = {"days": N_("days"), "hours": N_("hours"), "minutes": N_("minutes"), "seconds": N_("seconds"),
               "months": N_("months"),
               "km": N_("km"), "percent": N_("%"), "yuan": N_("yuan"), "tries": N_("tries"),
               "services": N_("services"), "customers": N_("customers")}


@dataclass(frozen=True)
class Spec:
    """What a setting means and what values it takes. ``kind``: text, int, decimal, bool, choice, pattern."""
    key: str
    group: str
    label: str      # N_: translated where shown
    meaning: str    # N_
    kind: str       # ... time ("08:00"), weekdays (0 = Monday ... 6 = Sunday), table
    default: object
    unit: str = ""
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, N_ label)
    max_len: int = 200
    check: object = None   # kind "table": a function that validates the JSON object (raises InvalidInput)


CN_PLATES = (r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领]"
             r"[A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{5}[DF]|[A-HJ-NP-Z0-9]{4}[挂学警港澳])$")

SPECS: tuple[Spec, ...] = (
    # identity
    Spec("shop_name", "identity", N_("Shop name"), N_("The name documents are headed with."), "text",
         "Riverside Motors Service", max_len=100),
    Spec("shop_address", "identity", N_("Address"), N_("Printed under the shop's name on documents."), "text", ""),
    Spec("shop_phone", "identity", N_("Phone"), N_("The shop's phone number on documents."), "text", "", max_len=40),
    Spec("shop_tax_number", "identity", N_("Tax number"),
         N_("The taxpayer number (unified social credit code) on documents."), "text", "", max_len=30),
    Spec("shop_bank", "identity", N_("Bank and account"),
         N_("Bank name and account number for transfers, on the A4 settlement form."), "text", "", max_len=120),
    # documents
    Spec("document_language", "documents", N_("Document language"),
         N_("The language of documents handed to customers, whoever prints them."), "choice", "zh_CN",
         choices=(("zh_CN", N_("Simplified Chinese")), ("en", N_("English")))),
    Spec("invoice_dir", "documents", N_("Invoice folder"),
         N_("Where invoice files are written; empty: a 'documents' folder beside the database."), "text", ""),
    Spec("invoice_pdf", "documents", N_("Invoices as PDF"),
         N_("Write the A4 settlement form as PDF beside each invoice (needs a Chinese font on the server)."),
         "bool", True),
    # input
    Spec("plate_pattern", "input", N_("Plate pattern"),
         N_("A regular expression every licence plate must match (mainland China by default)."), "pattern",
         CN_PLATES, max_len=400),
    Spec("phone_region", "input", N_("Phone region"),
         N_("The country whose numbers are typed without a country code (CN: 13812345678)."), "choice", "CN",
         choices=(("CN", N_("Mainland China")), ("HK", N_("Hong Kong")), ("MO", N_("Macao")),
                  ("TW", N_("Taiwan")))),
    Spec("vin_check_digit", "input", N_("Check VIN check digit"),
         N_("Refuse a VIN whose 9th character is not its check digit (GB 16735 / ISO 3779)."), "bool", True),
    # signing in
    Spec("idle_signout_minutes", "sign_in", N_("Idle sign-out"),
         N_("A terminal nobody has touched for this long signs out."), "int", 15, "minutes", 1, 480),
    # Wrong PINs cost waits that grow, per terminal and per person (workshop/accounts.py, README "Sign-in").
    Spec("pin_free_failures", "sign_in", N_("Free wrong PINs per person"),
         N_("Wrong PINs a person may type (at unfamiliar terminals together, or at each familiar one) before waits "
            "begin."), "int", 5, "tries", 1, 20),
    Spec("pin_terminal_free_failures", "sign_in", N_("Free wrong PINs per terminal"),
         N_("Wrong PINs anyone may type at one terminal before it makes them wait."), "int", 10, "tries", 1, 100),
    Spec("pin_backoff_first_seconds", "sign_in", N_("First wait"),
         N_("The wait after the free wrong PINs; each further wrong PIN doubles it."), "int", 60, "seconds", 1, 3600),
    Spec("pin_backoff_max_minutes", "sign_in", N_("Longest wait"), N_("Waits grow up to this."), "int", 60,
         "minutes", 1, 1440),
    Spec("pin_window_hours", "sign_in", N_("Wrong PINs count for"),
         N_("Wrong PINs older than this no longer count."), "int", 24, "hours", 1, 168),
    Spec("pin_familiar_days", "sign_in", N_("Familiar terminal for"),
         N_("After a sign-in, the terminal counts as the person's own for this many days."), "int", 30, "days", 1,
         365),
    # money
    Spec("vat_rate", "money", N_("VAT rate"), N_("Value added tax on every bill."), "decimal", "13", "percent",
         Decimal("0"), Decimal("30")),
    Spec("prices_include_tax", "money", N_("Prices include VAT"),
         N_("Rates and part prices include VAT (the bill shows the tax they contain)."), "bool", True),
    Spec("discount_limit_advisor_pct", "money", N_("Advisor's discount limit"),
         N_("The largest extra discount an advisor may give on a bill."), "decimal", "5", "percent",
         Decimal("0"), Decimal("100")),
    Spec("discount_limit_manager_pct", "money", N_("Manager's discount limit"),
         N_("The largest extra discount a manager may give on a bill."), "decimal", "100", "percent",
         Decimal("0"), Decimal("100")),
    # QC
    Spec("qc_forbid_own_work", "qc", N_("No QC of one's own work"),
         N_("An inspector may not sign off an order they worked on."), "bool", True),
    Spec("comeback_days", "qc", N_("Comeback window"),
         N_("A car back within this many days of an earlier order may be marked a comeback."), "int", 30, "days",
         1, 365),
    # callbacks
    Spec("callback_first_days", "callbacks", N_("First callback after"),
         N_("Days after the car is picked up that the first callback is due."), "int", 3, "days", 0, 30),
    Spec("callback_window_days", "callbacks", N_("First callback window"),
         N_("Days after pick-up by which the first callback must be made."), "int", 7, "days", 1, 30),
    Spec("callback_second_days", "callbacks", N_("Second callback after"),
         N_("Days after the first callback that the second one is due."), "int", 7, "days", 1, 30),
    Spec("callback_retry_hours", "callbacks", N_("Retry an unanswered call after"),
         N_("Hours before a call nobody answered is tried again."), "int", 24, "hours", 1, 168),
    Spec("callback_max_tries", "callbacks", N_("Tries before unreachable"),
         N_("Unanswered tries before the customer is marked unreachable (and a letter is due)."), "int", 3,
         "tries", 1, 10),
    Spec("callback_major_repair_amount", "callbacks", N_("Major repair from"),
         N_("A bill of at least this much is a major repair: its customer is always called back."), "decimal",
         "5000", "yuan", Decimal("0"), Decimal("1000000")),
    Spec("callback_other_share_pct", "callbacks", N_("Other customers called back"),
         N_("Share of the other customers (not a 100% callback) who get a callback."), "int", 100, "percent", 0,
         100),
    Spec("callback_assignment", "callbacks", N_("Who gets the calls"),
         N_("Each advisor's own follow-up agent, or the agent with the fewest open calls."), "choice",
         "advisor_agent", choices=(("advisor_agent", N_("the advisor's agent")),
                                   ("round_robin", N_("the least busy agent")))),
    Spec("complaint_escalate_days", "callbacks", N_("Escalate complaints after"),
         N_("An open complaint goes to the supervisor after this many days."), "int", 2, "days", 1, 30),
    # reminders
    Spec("maintenance_km", "reminders", N_("Service interval"),
         N_("The next service is due after this many km at the car's own pace."), "int", 5000, "km", 500, 50000),
    Spec("maintenance_months", "reminders", N_("Service interval in months"),
         N_("...or after this many months, whichever comes first."), "int", 6, "months", 1, 24),
    Spec("insurance_notice_days", "reminders", N_("Insurance renewal notice"),
         N_("Customers are invited to renew this many days before their insurance expires."), "int", 45, "days",
         1, 180),
    Spec("lost_after_months", "reminders", N_("Lost customer after"),
         N_("A customer without a visit for this many months is a lost customer."), "int", 6, "months", 1, 60),
    Spec("warranty_terms", "money", N_("Warranty claim terms"),
         N_("Per manufacturer (\"*\" for any other): days to submit a claim and to return the old part, the labour "
            "rate it pays (empty: the shop's) and the parts handling %."), "table",
         {"*": {"submit_days": 30, "return_days": 60, "labor_rate": None, "parts_handling_pct": "15"}},
         check="warranty_terms"),
    Spec("reminder_lookahead_days", "reminders", N_("Maintenance look-ahead"),
         N_("The maintenance list shows services due within this many days."), "int", 14, "days", 1, 90),
    Spec("complaint_escalation_role", "callbacks", N_("Escalated complaints go to"),
         N_("Who receives a complaint left open too long: the customer-care supervisor or the service manager (a "
            "manager when nobody active has that role)."), "choice", "care_supervisor",
         choices=(("care_supervisor", N_("the customer-care supervisor")), ("manager", N_("the service manager")))),
    Spec("first_service_km", "reminders", N_("First service after"),
         N_("A car never serviced here is due its first service (首保) this many km after its purchase mileage..."),
         "int", 5000, "km", 500, 50000),
    Spec("first_service_months", "reminders", N_("First service in months"),
         N_("...or this many months after its purchase date, whichever comes first."), "int", 6, "months", 1, 36),
    Spec("typical_daily_km", "reminders", N_("Typical daily km"),
         N_("The pace assumed for a car not yet seen here (0: by months only)."), "int", 40, "km", 0, 1000),
    Spec("service_plan_services", "reminders", N_("Services planned ahead"),
         N_("A new car's maintenance plan: the first service and the regular ones after it."), "int", 4, "services", 1, 20),
    Spec("campaign_invite_days", "reminders", N_("Invite to campaigns"),
         N_("Campaign invitations are due this many days before the event."), "int", 14, "days", 1, 90),
    Spec("campaign_max_invitations", "reminders", N_("Invitations per campaign at most"),
         N_("A campaign's rule may invite at most this many customers."), "int", 5000, "customers", 1, 100000),
    # opening hours and appointments
    Spec("shop_opens", "hours", N_("Opens at"),
         N_("The workshop opens (first appointment; planned bay time runs only while open)."), "time", "08:00"),
    Spec("shop_closes", "hours", N_("Closes at"), N_("The workshop closes (last appointment ends by then)."), "time",
         "18:00"),
    Spec("appointment_closed_weekdays", "hours", N_("Closed on"),
         N_("Days of the week without appointments: numbers, 1 = Monday ... 7 = Sunday, e.g. 7 or 6,7."),
         "weekdays", []),
    Spec("appointment_capacity_pct", "hours", N_("Bookable share of hours"),
         N_("Share of each trade's technician hours that appointments may take (the rest is for walk-ins)."),
         "int", 80, "percent", 1, 150),
    Spec("appointment_max_days_ahead", "hours", N_("Book at most"),
         N_("How far ahead an appointment may be made."), "int", 90, "days", 1, 365),
    Spec("appointment_no_show_minutes", "hours", N_("No-show after"),
         N_("An appointment whose car has not come this long after its time is a no-show."), "int", 60, "minutes",
         5, 480),
    Spec("appointment_on_time_minutes", "hours", N_("On time within"),
         N_("A car arriving within this many minutes of its appointment is on time."), "int", 15, "minutes", 0, 120),
    Spec("appointment_parts_lookahead_days", "hours", N_("Parts checked ahead"),
         N_("Appointments' parts are checked against stock this many days ahead."), "int", 7, "days", 1, 60),
    # shop floor
    Spec("shopfloor_idle_seconds", "shop_floor", N_("Shop-floor sign-out"),
         N_("A shared shop-floor terminal (badge and PIN) signs out this long after the last key."), "int", 45,
         "seconds", 1, 3600),
    Spec("shopfloor_signout_after_action", "shop_floor", N_("Sign out after clocking"),
         N_("A shop-floor terminal signs out at once after a clock action."), "bool", True),
    Spec("labour_commission_pct", "shop_floor", N_("Commission (提成)"),
         N_("Percent of the labour sold paid as commission, per trade (\"*\" for every other trade)."), "table",
         {"*": "5"}, check="commission"),
)
SPEC_BY_KEY = {spec.key: spec for spec in SPECS}
DEFAULTS: dict[str, object] = {spec.key: spec.default for spec in SPECS}

# A setting changed at one terminal reaches the others within this many seconds (each process caches).
CACHE_SECONDS = 5.0
_cache: dict[str, tuple[float, object]] = {}


def get(key: str, shop: int | None = None):
    """The setting's value (the shop's own, or the default). ``shop``: that shop of a group's own value
    (ShopSetting), falling back to the group's."""
    if shop is not None:
        hit = _cache.get((shop, key))
        now = time.monotonic()
        if hit is None or now - hit[0] >= CACHE_SECONDS:
            row = ShopSetting.get_or_none((ShopSetting.shop == shop) & (ShopSetting.key == key))
            hit = _cache[(shop, key)] = (now, json.loads(row.value) if row else _GROUP)
        if hit[1] is not _GROUP:
            return hit[1]
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    row = Setting.get_or_none(Setting.key == key)
    value = json.loads(row.value) if row else DEFAULTS[key]
    _cache[key] = (now, value)
    return value


_GROUP = object()  # (cached: this shop has no value of its own)


def spec(key: str) -> Spec:
    found = SPEC_BY_KEY.get(key)
    if found is None:
        raise InvalidInput(_("There is no setting called {key}.").format(key=key), "key")
    return found


def parse(key: str, value) -> object:
    """``value`` (typed text or a value) as the setting stores it, or InvalidInput naming the setting."""
    s = spec(key)
    label = _(s.label)
    if s.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "yes", "y", "true", "on", "是"):
            return True
        if text in ("0", "no", "n", "false", "off", "否"):
            return False
        raise InvalidInput(_("{label}: answer yes or no.").format(label=label), key)
    if s.kind == "int":
        from workshop import validation
        return validation.integer(value, key, label, minimum=s.minimum, maximum=s.maximum)
    if s.kind == "decimal":
        from workshop.amounts import decimal
        number = decimal(value, key, label, minimum=s.minimum, maximum=s.maximum)
        return str(number.normalize() if number == number.to_integral() else number)
    if s.kind == "table":
        return _table(s, value, label)
    if s.kind == "time":
        text = str(value or "").strip().replace("：", ":")
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text)
        if not match:
            raise InvalidInput(_("{label} is a time of day, e.g. 08:00.").format(label=label), key)
        return f"{int(match.group(1)):02d}:{match.group(2)}"
    if s.kind == "weekdays":
        items = value if isinstance(value, list) else [p for p in re.split(r"[\s,，]+", str(value or "").strip()) if p]
        days = []
        for item in items:
            day = str(item).strip()
            if not (day.isascii() and day.isdigit() and 1 <= int(day) <= 7):
                raise InvalidInput(_("{label}: days are 1 (Monday) to 7 (Sunday), e.g. 6,7.").format(label=label),
                                   key)
            days.append(int(day) - 1)
        return sorted(set(days))
    text = "" if value is None else str(value).strip()
    from workshop.validation import text as checked_text
    if s.kind == "choice":
        if text not in {code for code, _label in s.choices}:
            raise InvalidInput(_("{label} must be one of: {choices}.").format(
                label=label, choices=", ".join(_(name) for _code, name in s.choices)), key)
        return text
    text = checked_text(text, key, label, max_len=s.max_len, required=s.kind == "pattern") or ""
    if s.kind == "pattern":
        try:
            re.compile(text)
        except re.error as error:
            raise InvalidInput(_("{label} is not a valid regular expression: {error}.").format(
                label=label, error=str(error)), key) from None
    return text


def _table(s: Spec, value, label: str) -> dict:
    """A setting that is a table (a JSON object), e.g. the warranty terms per manufacturer."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise InvalidInput(_("{label} must be written as JSON, like its default.").format(label=label),
                               s.key) from None
    if not isinstance(value, dict):
        raise InvalidInput(_("{label} must be written as JSON, like its default.").format(label=label), s.key)
    if s.check == "commission":
        from workshop.amounts import decimal
        for trade, pct in value.items():
            decimal(pct, s.key, f"{label} ({trade})", maximum=Decimal("100"))
    if s.check == "warranty_terms":
        from workshop.amounts import decimal, integer
        for maker, terms in value.items():
            if not isinstance(terms, dict) or set(terms) - {"submit_days", "return_days", "labor_rate",
                                                              "parts_handling_pct"}:
                raise InvalidInput(_("{label}: the terms of {maker} have unknown entries.").format(
                    label=label, maker=maker), s.key)
            for name in ("submit_days", "return_days"):
                if name in terms:
                    integer(terms[name], s.key, f"{label} ({maker}, {name})", minimum=1, maximum=3650)
            if terms.get("labor_rate") not in (None, ""):
                decimal(terms["labor_rate"], s.key, f"{label} ({maker}, labor_rate)", maximum=Decimal("100000"))
            if "parts_handling_pct" in terms:
                decimal(terms["parts_handling_pct"], s.key, f"{label} ({maker}, parts_handling_pct)",
                        maximum=Decimal("100"))
    return value


def put(key: str, value, *, by: Staff) -> None:
    """Change a setting (managers only), validated against its declaration; recorded on the audit trail."""
    put_many({key: value}, by=by)


def put_many(values: dict[str, object], *, by: Staff, shop: int | None = None) -> dict[str, object]:
    """Change several settings at once (one transaction, one event per setting changed); returns the changes.
    ``shop``: that shop's own values (a group's shop), over the group's."""
    parsed = {key: parse(key, value) for key, value in values.items()}

    def work():
        nonlocal by
        by = require(by, "manage_settings")  # re-read inside the transaction: rights at the moment of the change
        changed = {}
        shop_code = None if shop is None else Shop.select(Shop.code).where(Shop.id == shop).scalar()
        for key, value in parsed.items():
            if shop is None:
                row = Setting.get_or_none(Setting.key == key)
            else:
                row = ShopSetting.get_or_none((ShopSetting.shop == shop) & (ShopSetting.key == key))
            old = json.loads(row.value) if row else get(key)
            if old == value:  # (a shop's value equal to the group's stays the group's)
                continue
            text = json.dumps(value, ensure_ascii=False)
            if shop is None:
                Setting.insert(key=key, value=text).on_conflict(
                    conflict_target=[Setting.key], update={Setting.value: text}).execute()
                summary = Phrase(N_("Setting {key} changed"), key=key)
            else:
                ShopSetting.insert(shop=shop, key=key, value=text).on_conflict(
                    conflict_target=[ShopSetting.shop, ShopSetting.key], update={ShopSetting.value: text}).execute()
                summary = Phrase(N_("Setting {key} changed for shop {shop}"), key=key, shop=shop_code)
            audit.record(by, "setting_changed", "setting", shop or 0, summary,
                         before={key: old}, after={key: value})
            changed[key] = value
        return changed

    changed = run_write(work)
    for key in parsed:
        _cache.pop(key, None)
        _cache.pop((shop, key), None)
    return changed


def put_entry(key: str, entry: str, value, *, by: Staff) -> dict:
    """Change one entry of a table setting (``value`` None removes it), read and written in one transaction:
    two managers changing different entries (two manufacturers' warranty terms) both keep theirs. Returns
    the table as it now stands."""
    s = spec(key)
    if s.kind != "table":
        raise InvalidInput(_("{label} is not a table.").format(label=_(s.label)), key)

    def work():
        nonlocal by
        by = require(by, "manage_settings")
        # The row, locked (PostgreSQL): another manager's entry written meanwhile is read, not overwritten.
        Setting.insert(key=key, value=json.dumps(DEFAULTS[key], ensure_ascii=False)).on_conflict_ignore().execute()
        old = json.loads(locked(Setting.select().where(Setting.key == key)).get().value)
        table = dict(old)
        if value is None:
            table.pop(entry, None)
        else:
            table[entry] = value
        table = _table(s, table, _(s.label))
        if table == old:
            return old
        Setting.update(value=json.dumps(table, ensure_ascii=False)).where(Setting.key == key).execute()
        audit.record(by, "setting_changed", "setting", 0, Phrase(N_("Setting {key} changed ({entry})"), key=key, entry=entry),
                     before={key: old}, after={key: table})
        return table

    table = run_write(work)
    _cache.pop(key, None)
    return table


@dataclass(frozen=True)
class SettingRow:
    key: str
    group: str
    label: str      # translated
    meaning: str    # translated
    kind: str
    value: object
    default: object
    unit: str       # translated
    minimum: object
    maximum: object
    choices: tuple[tuple[str, str], ...]  # (value, translated label)

    @property
    def changed(self) -> bool:
        return self.value != self.default


def listing(group: str | None = None, shop: int | None = None) -> list[SettingRow]:
    """Every setting (or one group's) with its current value (``shop``: that shop's where it has its own), in
    the reader's language (one query, two for a shop)."""
    stored = {key: json.loads(value) for key, value in Setting.select(Setting.key, Setting.value).tuples()}
    if shop is not None:
        stored.update({key: json.loads(value) for key, value in ShopSetting.select(ShopSetting.key, ShopSetting.value)
                       .where(ShopSetting.shop == shop).tuples()})
    rows = []
    order = list(GROUPS)
    for s in sorted(SPECS, key=lambda spec: order.index(spec.group)):  # group by group, declared order within
        if group and s.group != group:
            continue
        rows.append(SettingRow(s.key, s.group, _(s.label), _(s.meaning), s.kind, stored.get(s.key, s.default),
                               s.default, _(UNIT_LABELS[s.unit]) if s.unit else "", s.minimum, s.maximum,
                               tuple((code, _(name)) for code, name in s.choices)))
    return rows


def forget_cache() -> None:
    _cache.clear()


__all__ = ["get", "put", "put_many", "parse", "listing", "SPECS", "DEFAULTS", "Spec", "SettingRow", "GROUPS",
           "InvalidOperation"]
