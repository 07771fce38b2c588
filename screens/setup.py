"""Shop set-up for a manager (F12): what is still missing before the first check-in, bays, the operations
catalog with its kits per series, labour rates, customer classes, maintenance packages, the shop's identity
and every setting. Keyboard only: 1-7 pick a tab, a adds, e or Enter edits, x retires or brings back,
d deletes what was never used, k sets an operation's kit, / searches the catalog."""
from __future__ import annotations

from decimal import Decimal
from functools import partial

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Input, Static, TabbedContent, TabPane

from models.orders import BUSINESS_TYPE_LABELS, BUSINESS_TYPES
from models.people import TRADE_LABELS, TRADES
from models.shop import BAY_KIND_LABELS, BAY_KINDS
from screens import forms
from screens.acting import Acting
from screens.forms import FormDialog
from screens.kept_screen import KeptScreen
from screens.keybar import KeyBar
from screens.paged import PagedTable
from screens.text import clean, pad
from workshop import bay_setup, catalog, customer_classes, i18n, packages, rates, settings, setup_status, shops
from workshop.amounts import MAX_HOURS, MAX_PRICE
from workshop.i18n import N_, _

TABS = ("start", "bays", "operations", "rates", "classes", "packages", "settings")
TAB_TITLES = {"start": N_("Start"), "bays": N_("Bays"), "operations": N_("Operations"), "rates": N_("Rates"),
              "classes": N_("Classes"), "packages": N_("Packages"), "settings": N_("Settings")}
TABLE_OF = {tab: f"#{tab}-table" for tab in TABS if tab != "start"}


def _sliced(rows: list):
    """A loader for PagedTable over a short list already read."""
    return lambda limit, offset: rows[offset:offset + limit]


def _yes(flag: bool) -> str:
    return _("yes") if flag else ""


def _status(active: bool) -> str:
    return _("in use") if active else _("retired")


def _bay_row(b: bay_setup.BayRow):
    return (b.code, b.name_en, b.name_zh, b.kind_label, str(b.capacity), str(b.cars_in), _status(b.active))


def _operation_row(o: catalog.OperationRow):
    rate = "—" if o.rate is None else f"{o.rate:.2f}"
    return (o.code, o.name, o.trade_label, f"{o.standard_hours}", catalog.price_class_label(o.price_class), rate, _status(o.active))


def _rate_row(r: rates.RateRow):
    return (r.trade_label, catalog.price_class_label(r.price_class), f"{r.rate:.2f}" if r.rate else _("not set"), str(r.operations))


def _class_row(c: customer_classes.ClassRow):
    return (c.name_en, c.name_zh, f"{c.labor_discount}%", f"{c.material_discount}%",
            str(c.valid_months) if c.valid_months else _("no end"), f"{c.fee:.2f}", str(c.points_needed),
            str(c.members), _status(c.active))


def _package_row(p: packages.PackageRow):
    return (p.code, p.name, f"{p.price:.2f}", " ".join(code for code, _name in p.operations), _status(p.active))


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        import json
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):  # weekdays, stored 0 = Monday, typed and shown 1 = Monday
        return ",".join(str(day + 1) for day in value)
    return "" if value is None else str(value)


def _setting_value(s: settings.SettingRow, value) -> str:
    return dict(s.choices).get(value, _shown(value)) if s.kind == "choice" else _shown(value)


def _setting_row(s: settings.SettingRow):
    # The group goes last: at 80 columns the value and unit come before it (the line below says it anyway).
    value = _setting_value(s, s.value)
    if cell_len(value) > 30:  # a plate pattern, a table of terms: its start here, the whole in its form
        value = pad(value, 29) + "…"
    return (s.label, value, s.unit, "" if not s.changed else _("changed"),
            i18n._(settings.GROUPS[s.group]))


def setting_about(s: settings.SettingRow) -> Text:
    """What the highlighted setting means, its bounds and default, under the list of settings."""
    text = Text()
    text.append(clean(i18n._(settings.GROUPS[s.group])) + " · ", style="dim")
    text.append(clean(s.label), style="bold")
    text.append("  " + clean(s.meaning))
    facts = []
    if s.minimum is not None or s.maximum is not None:
        facts.append(_("{minimum} to {maximum} {unit}").format(minimum=s.minimum, maximum=s.maximum,
                                                              unit=s.unit).strip())
    default = _setting_value(s, s.default)
    facts.append(_("default: {default}").format(default=default or "—"))
    text.append("\n" + " · ".join(clean(f) for f in facts), style="italic")
    return text


# --- forms -------------------------------------------------------------------------------------------------

def bay_form(bay: bay_setup.BayRow | None = None) -> FormDialog:
    f = bay.form() if bay else bay_setup.BayForm()
    return FormDialog(_("Bay {code}").format(code=bay.code) if bay else _("New bay"), [
        forms.text("code", _("Code"), value=f.code, max_length=10, placeholder="M5"),
        forms.text("name", _("Name"), value=f.name, max_length=40, placeholder=_("Mechanical 5")),
        forms.text("name_zh", _("Chinese name"), value=f.name_zh, max_length=40, required=False,
                   placeholder="机修工位5"),
        forms.choice("kind", _("Kind"), [(i18n.label(BAY_KIND_LABELS, k), k) for k in BAY_KINDS], value=f.kind),
        forms.number("capacity", _("Places"), value=f.capacity, minimum=1, maximum=bay_setup.MAX_PLACES, places=0,
                     hint=_("cars it holds at once")),
    ], submit_label=_("Save"))


def operation_form(detail: catalog.OperationDetail | None = None) -> FormDialog:
    f = detail.form() if detail else catalog.OperationForm()
    known = ", ".join(catalog.known_series()[:12])
    return FormDialog(_("Operation {code}").format(code=detail.code) if detail else _("New operation"), [
        forms.text("code", _("Code"), value=f.code, max_length=20, placeholder="QS101"),
        forms.text("name", _("Name"), value=f.name, max_length=100, placeholder=_("Oil and filter change")),
        forms.text("name_zh", _("Chinese name"), value=f.name_zh, max_length=100, required=False,
                   placeholder="更换机油机滤"),
        forms.choice("trade", _("Trade"), [(i18n.label(TRADE_LABELS, t), t) for t in TRADES], value=f.trade),
        forms.number("standard_hours", _("Standard hours"), value=f.standard_hours or None, minimum=Decimal("0.01"),
                     maximum=MAX_HOURS, places=2),
        forms.text("price_class", _("Price class"), value=f.price_class, max_length=20,
                   hint=_("rates exist for: {classes}").format(classes=", ".join(rates.price_classes()))),
        forms.choice("business_type", _("Usual business"),
                     [(i18n.label(BUSINESS_TYPE_LABELS, b), b) for b in BUSINESS_TYPES],
                     value=f.business_type or None, required=False, placeholder=_("any")),
        forms.text("applies_to", _("For series"), value=str(f.applies_to or ""), max_length=300, required=False,
                   placeholder=_("empty: every series"), hint=_("on file: {series}").format(series=known or "—")),
    ], submit_label=_("Save"))


class KitForm(FormDialog):
    """An operation's parts kit for one series: the series is typed (a new one too, offered from those on
    file as it is typed; empty: the general kit), and a series that has a kit shows it to change."""

    def __init__(self, detail: catalog.OperationDetail):
        self.detail = detail
        series = sorted(set(detail.applies_to) | {s for s in detail.kits if s} | set(catalog.known_series()),
                        key=str.casefold)
        first = next((s for s in detail.kits), "")
        self.shown = self.kit_text(first)   # the kit the items field shows, as loaded (not typed)
        name = i18n.local(detail.name, detail.name_zh)
        super().__init__(_("Parts kit of {code} {name}").format(code=detail.code, name=name), [
            forms.text("series", _("Series"), value=first, required=False, max_length=40,
                       placeholder=_("empty: every series (general kit)"), suggestions=series,
                       hint=self.series_hint()),
            forms.text("items", _("Parts in the kit"), value=self.shown, required=False, max_length=400,
                       placeholder="OF-M20A*1; OIL-0W20*4.5", hint=_("part code*quantity; empty: no kit")),
        ], intro=_("A car gets its series' kit if there is one, else the general kit."), submit_label=_("Save kit"))

    def series_hint(self) -> str:
        kits = [s or _("general") for s in self.detail.kits]
        return _("kits now: {series}").format(series=", ".join(kits)) if kits else _("no kit yet")

    def kit_of(self, series: str) -> str | None:
        """The series' own key in the kits (typed in another case), or None when it has no kit."""
        key = series.strip().casefold()
        return next((s for s in self.detail.kits if s.casefold() == key), None)

    def kit_text(self, series: str) -> str:
        return "; ".join(f"{line.code}*{line.qty.normalize() if line.qty == line.qty.to_integral() else line.qty}"
                         for line in self.detail.kits.get(series, ()))

    def changed(self, name: str) -> None:
        if name != "series":
            return
        items = self.widget("items")
        own = self.kit_of(self.raw("series") or "")
        if own is not None:            # a series with a kit: show it to change
            self.shown = items.value = self.kit_text(own)
        elif items.value == self.shown:  # the kit shown was another series': not this one's
            self.shown = items.value = ""


def rate_form(row: rates.RateRow | None = None) -> FormDialog:
    """A rate to set; a new one starts at the first trade and class the catalog needs and no rate covers."""
    if row is None:
        row = next((r for r in rates.list_rates() if not r.rate), None)
    return FormDialog(_("Labour rate"), [
        forms.choice("trade", _("Trade"), [(i18n.label(TRADE_LABELS, t), t) for t in TRADES],
                     value=row.trade if row else None),
        forms.text("price_class", _("Price class"), value=row.price_class if row else "standard", max_length=20),
        forms.number("rate", _("Per hour"), value=row.rate if row and row.rate else None, minimum=Decimal("0.01"),
                     maximum=MAX_PRICE, places=2),
    ], submit_label=_("Save"), focus="rate" if row else None)  # (a rate missing: straight to the amount)


def class_form(row: customer_classes.ClassRow | None = None) -> FormDialog:
    f = row.form() if row else customer_classes.ClassForm()
    return FormDialog(_("Class {name}").format(name=row.name) if row else _("New customer class"), [
        forms.text("name", _("Name"), value=f.name, max_length=40, placeholder=_("Platinum")),
        forms.text("name_zh", _("Chinese name"), value=f.name_zh, max_length=40, required=False, placeholder="白金"),
        forms.number("labor_discount", _("Labour discount %"), value=f.labor_discount, maximum=100, places=2),
        forms.number("material_discount", _("Material discount %"), value=f.material_discount, maximum=100, places=2),
        forms.number("valid_months", _("Valid for (months)"), value=f.valid_months, maximum=120, places=0,
                     hint=_("0: no end")),
        forms.number("fee", _("Fee"), value=f.fee, maximum=MAX_PRICE, places=2),
        forms.number("points_needed", _("Points needed"), value=f.points_needed, maximum=10_000_000, places=0),
        forms.check("is_vip", _("VIP"), value=f.is_vip),
    ], submit_label=_("Save"))


def package_form(row: packages.PackageRow | None = None) -> FormDialog:
    f = row.form() if row else packages.PackageForm()
    return FormDialog(_("Package {code}").format(code=row.code) if row else _("New maintenance package"), [
        forms.text("code", _("Code"), value=f.code, max_length=20, placeholder="FS"),
        forms.text("name", _("Name"), value=f.name, max_length=100, placeholder=_("First service")),
        forms.text("name_zh", _("Chinese name"), value=f.name_zh, max_length=100, required=False, placeholder="首保"),
        forms.number("price", _("Package price"), value=f.price or None, minimum=Decimal("0.01"), maximum=MAX_PRICE),
        forms.text("operation_codes", _("Operations"), value=str(f.operation_codes), max_length=300,
                   placeholder="QS002, QS007", hint=_("operation codes, in order")),
    ], submit_label=_("Save"))


def setting_form(row: settings.SettingRow) -> FormDialog:
    name = row.key
    if row.kind == "bool":
        field = forms.check(name, row.label, value=bool(row.value))
    elif row.kind == "choice":
        field = forms.choice(name, row.label, list((label, code) for code, label in row.choices), value=row.value)
    elif row.kind in ("int", "decimal"):
        field = forms.number(name, f"{row.label} ({row.unit})" if row.unit else row.label, value=row.value,
                             minimum=row.minimum, maximum=row.maximum, places=0 if row.kind == "int" else 2,
                             hint=_("{minimum} to {maximum}; default {default}").format(
                                 minimum=row.minimum, maximum=row.maximum, default=row.default))
    else:
        field = forms.text(name, row.label, value=_shown(row.value), max_length=400,
                           required=row.kind not in ("text", "weekdays"),
                           hint=_("default: {default}").format(default=_shown(row.default) or "—"))
    return FormDialog(row.label, [field], intro=row.meaning, submit_label=_("Save"))


IDENTITY = ("shop_name", "shop_address", "shop_phone", "shop_tax_number", "shop_bank", "document_language")


def identity_form(shop: int | None = None) -> FormDialog:
    """The identity of the shop on its documents (``shop``: a group's shop, whose own identity it is)."""
    rows = {r.key: r for r in settings.listing()}
    values = shops.identity_values(shop, IDENTITY)
    fields = []
    for key in IDENTITY:
        row = rows[key]
        if row.kind == "choice":
            fields.append(forms.choice(key, row.label, [(label, code) for code, label in row.choices],
                                       value=values[key]))
        else:
            fields.append(forms.text(key, row.label, value=_shown(values[key]), max_length=settings.spec(key).max_len,
                                     required=key == "shop_name"))
    return FormDialog(_("The shop on its documents"), fields,
                      intro=_("As printed on the 结算单 and receipts."), submit_label=_("Save"))


# --- the screen --------------------------------------------------------------------------------------------

class ShopSetupScreen(Acting, KeptScreen):
    CSS_PATH = "setup.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Board")),
        Binding("a", "add", N_("Add")),
        Binding("e", "edit", N_("Edit")),
        Binding("x", "retire", N_("Retire/back")),
        Binding("d", "delete", N_("Delete")),
        Binding("k", "kit", N_("Kit")),
        Binding("i", "identity", N_("Shop identity")),
        Binding("slash", "search", N_("Search")),
    ] + [Binding(str(n), f"tab('{tab}')", TAB_TITLES[tab], show=False) for n, tab in enumerate(TABS, 1)]
    PERMISSIONS = {**dict.fromkeys(("add", "edit", "retire", "delete", "kit"), "shop_setup"),
                   "identity": "manage_settings"}
    OFFERED = {"add": ("bays", "operations", "rates", "classes", "packages"),
               "edit": ("bays", "operations", "rates", "classes", "packages", "settings"),
               "retire": ("bays", "operations", "classes", "packages"), "delete": ("bays", "operations", "rates"),
               "kit": ("operations",), "search": ("operations",), "identity": ("start", "settings")}

    def __init__(self, tab: str | None = None) -> None:
        super().__init__()
        self.first_tab = tab

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=_("/ search the catalog: code, name or pinyin initials"), id="op-search")
        with TabbedContent(initial="start"):
            with TabPane(_("1 Start"), id="start"):
                with VerticalScroll(id="start-box"):
                    yield Static("", id="start-steps")
            with TabPane(_("2 Bays"), id="bays"):
                yield PagedTable((_("Code"), _("Name"), _("Chinese"), _("Kind"), _("Places"), _("Cars in"),
                                  _("Status")), _bay_row, id="bays-table")
            with TabPane(_("3 Catalog"), id="operations"):
                yield PagedTable((_("Code"), _("Operation"), _("Trade"), _("Hours"), _("Price class"), _("Rate"),
                                  _("Status")), _operation_row, id="operations-table")
            with TabPane(_("4 Rates"), id="rates"):
                yield PagedTable((_("Trade"), _("Price class"), _("Per hour"), _("Operations")), _rate_row,
                                 id="rates-table")
            with TabPane(_("5 Classes"), id="classes"):
                yield PagedTable((_("Class"), _("Chinese"), _("Labour"), _("Material"), _("Months"), _("Fee"),
                                  _("Points"), _("Members"), _("Status")), _class_row, id="classes-table")
            with TabPane(_("6 Packages"), id="packages"):
                yield PagedTable((_("Code"), _("Package"), _("Price"), _("Operations"), _("Status")), _package_row,
                                 id="packages-table")
            with TabPane(_("7 Settings"), id="settings"):
                yield PagedTable((_("Setting"), _("Value"), _("Unit"), "", _("Group")), _setting_row,
                                 id="settings-table")
                yield Static("", id="setting-about")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = _("Shop set-up")
        self.query_one("#op-search").display = False
        self.reload_all()
        if self.first_tab:
            self.action_tab(self.first_tab)
        else:
            self.query_one("#start-box").focus()

    # --- loading -------------------------------------------------------------------------------------------
    def reload_all(self) -> None:
        self.show_status()
        text = self.query_one("#op-search", Input).value
        self.query_one("#bays-table", PagedTable).load(_sliced(bay_setup.list_bays(
            shop=shops.scope(self.app.staff))))
        self.query_one("#operations-table", PagedTable).load(
            lambda n, o: catalog.list_operations(text, limit=n, offset=o))
        self.query_one("#rates-table", PagedTable).load(_sliced(rates.list_rates()))
        self.query_one("#classes-table", PagedTable).load(_sliced(customer_classes.list_classes()))
        self.query_one("#packages-table", PagedTable).load(_sliced(packages.list_packages()))
        self.query_one("#settings-table", PagedTable).load(_sliced(settings.listing()))

    def show_status(self) -> None:
        status = setup_status.status()
        text = Text()
        text.append(_("Ready for the first check-in.") if status.ready else
                    _("Before the first car can be checked in:"), style="bold green" if status.ready else "bold")
        text.append("\n\n")
        go = {"identity": "i", "bays": "2", "rates": "4", "operations": "3", "parts": "F5", "classes": "5",
              "staff": "F10"}
        for step in status.steps:
            text.append("  ✓ " if step.done else ("  ✗ " if step.required else "  · "),
                        style="green" if step.done else ("red" if step.required else "yellow"))
            text.append(clean(step.title), style="bold")
            text.append("  " + clean(step.detail))
            if not step.done:
                text.append("  [" + go[step.key] + "]", style="dim")
            text.append("\n")
        text.append("\n" + _("✗ needed before a check-in · · wanted · ✓ done"), style="dim")
        self.query_one("#start-steps", Static).update(text)

    def refresh_from_changes(self, changes) -> None:
        self.reload_all()

    def after_acting(self) -> None:
        if self.is_attached:
            self.reload_all()

    # --- tabs -----------------------------------------------------------------------------------------------
    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active

    def offers(self, action: str, parameters) -> bool | None:
        tabs = self.OFFERED.get(action)
        return tabs is None or self.tab in tabs

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def tab_changed(self) -> None:
        self.refresh_bindings()
        self.query_one("#op-search").display = self.tab == "operations"
        if self.tab == "start":
            self.show_status()
            self.set_focus(self.query_one("#start-box"))
        else:
            self.set_focus(self.query_one(TABLE_OF[self.tab]))

    def _selected(self):
        table = self.query_one(TABLE_OF[self.tab], PagedTable) if self.tab in TABLE_OF else None
        row = table.selected if table is not None else None
        if row is None:
            self.notify(_("Nothing selected."), severity="warning")
        return row

    @on(PagedTable.RowHighlighted, "#settings-table")
    def setting_highlighted(self) -> None:
        row = self.query_one("#settings-table", PagedTable).selected
        self.query_one("#setting-about", Static).update(setting_about(row) if row is not None else "")

    @on(PagedTable.RowSelected)
    def row_entered(self, event) -> None:
        if self.check_action("edit", ()):
            self.action_edit()

    def action_search(self) -> None:
        search = self.query_one("#op-search", Input)
        search.display = True
        search.focus()

    @on(Input.Submitted, "#op-search")
    def searched(self) -> None:
        self.reload_all()
        self.query_one("#operations-table").focus()

    # --- actions --------------------------------------------------------------------------------------------
    def action_add(self) -> None:
        tab = self.tab
        if tab == "bays":
            self.ask(bay_form(), lambda v: partial(bay_setup.add_bay, bay_setup.BayForm(
                v["code"], v["name"], v["name_zh"] or "", v["kind"], str(v["capacity"]))),
                success=lambda bay: _("Bay {code} added.").format(code=bay.code))
        elif tab == "operations":
            self.ask(operation_form(), lambda v: partial(catalog.add_operation, operation_values(v)),
                     success=lambda op: _("{code} added: k sets its parts kit.").format(code=op.code))
        elif tab == "rates":
            self.ask(rate_form(), lambda v: partial(rates.set_rate, v["trade"], v["price_class"], v["rate"]),
                     success=_("Rate saved."))
        elif tab == "classes":
            self.ask(class_form(), lambda v: partial(customer_classes.add_class, class_values(v)),
                     success=lambda c: _("Class {name} added.").format(name=c.name))
        elif tab == "packages":
            self.ask(package_form(), lambda v: partial(packages.add_package, package_values(v)),
                     success=lambda p: _("Package {code} added.").format(code=p.code))

    def action_edit(self) -> None:
        tab, row = self.tab, self._selected()
        if row is None:
            return
        if tab == "bays":
            self.ask(bay_form(row), lambda v: partial(bay_setup.edit_bay, row.id, bay_setup.BayForm(
                v["code"], v["name"], v["name_zh"] or "", v["kind"], str(v["capacity"]))), success=_("Bay saved."))
        elif tab == "operations":
            detail = self.fetch(catalog.operation_detail, row.id)
            if detail is not None:
                self.ask(operation_form(detail), lambda v: partial(catalog.edit_operation, row.id, operation_values(v)),
                         success=_("Operation saved."))
        elif tab == "rates":
            self.ask(rate_form(row), lambda v: partial(rates.set_rate, v["trade"], v["price_class"], v["rate"]),
                     success=_("Rate saved."))
        elif tab == "classes":
            self.ask(class_form(row), lambda v: partial(customer_classes.edit_class, row.id, class_values(v)),
                     success=_("Class saved."))
        elif tab == "packages":
            self.ask(package_form(row), lambda v: partial(packages.edit_package, row.id, package_values(v)),
                     success=_("Package saved."))
        elif tab == "settings":
            self.ask(setting_form(row), lambda v: partial(settings.put, row.key, v[row.key]),
                     success=_("{setting} saved.").format(setting=row.label))

    def action_retire(self) -> None:
        tab, row = self.tab, self._selected()
        if row is None:
            return
        service = {"bays": bay_setup.set_active, "operations": catalog.set_active,
                   "classes": customer_classes.set_active, "packages": packages.set_active}.get(tab)
        if service is not None:
            name = getattr(row, "code", None) or row.name
            self.act(service, row.id, not row.active,
                     success=(_("{name} retired.") if row.active else _("{name} is in use again.")).format(name=name))

    def action_delete(self) -> None:
        tab, row = self.tab, self._selected()
        if row is None:
            return
        if tab == "bays":
            self.act(bay_setup.delete_bay, row.id, success=_("Bay {code} deleted.").format(code=row.code))
        elif tab == "operations":
            self.act(catalog.delete_operation, row.id, success=_("{code} deleted.").format(code=row.code))
        elif tab == "rates":
            self.act(rates.remove_rate, row.trade, row.price_class, success=_("Rate removed."))

    def action_kit(self) -> None:
        row = self._selected()
        detail = self.fetch(catalog.operation_detail, row.id) if row is not None else None
        if detail is None:
            return
        self.ask(KitForm(detail), lambda v: partial(catalog.set_kit, row.id, v["series"] or "", v["items"] or ""),
            success=lambda kit: i18n.ngettext("Kit saved: {count} part.", "Kit saved: {count} parts.",
                                              len(kit)).format(count=len(kit)))

    def action_identity(self) -> None:
        shop = shops.scope(self.app.staff)  # a group's terminal: its shop's identity
        self.ask(identity_form(shop), lambda v: partial(shops.set_identity, shop, {k: v[k] or "" for k in IDENTITY}),
                 success=_("The shop's identity is saved."))



# --- form values to service forms ----------------------------------------------------------------------------

def operation_values(v: dict) -> catalog.OperationForm:
    return catalog.OperationForm(v["code"], v["name"], v["name_zh"] or "", v["trade"], str(v["standard_hours"]),
                                 v["price_class"] or "standard", v["business_type"] or "", v["applies_to"] or "")


def class_values(v: dict) -> customer_classes.ClassForm:
    return customer_classes.ClassForm(v["name"], v["name_zh"] or "", str(v["labor_discount"] or 0),
                                      str(v["material_discount"] or 0), str(v["valid_months"] or 0),
                                      str(v["fee"] or 0), str(v["points_needed"] or 0), bool(v["is_vip"]))


def package_values(v: dict) -> packages.PackageForm:
    return packages.PackageForm(v["code"], v["name"], v["name_zh"] or "", str(v["price"]), v["operation_codes"])
