"""Forms, not prompts: a dialog of typed fields that checks what is typed as it is typed and, when the
service refuses, shows why beside the field the refusal names, keeping every value.

A screen describes its fields (``text``, ``number``, ``choice``, ``choices``, ``check``) and opens a
``FormDialog`` with ``Acting.ask`` (the submit runs a service call in a worker; the form closes when the
service accepts) or with ``app.push_screen(form, callback)`` (the values come back as a dict).

Keys: Tab / Shift+Tab move between fields, Enter in a text or number field submits (Enter on a
choice opens its list), Ctrl+S submits from anywhere, Esc cancels. At 80x24 every field is one
line with its message below it; on a wide terminal the dialog grows and the message stands beside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Sequence

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from screens.text import literal
from workshop.errors import DomainError
from workshop.i18n import N_, _

WIDE = 110  # from this many columns the dialog is wide enough for a field's message beside it


@dataclass(frozen=True)
class Field:
    """One field of a form. ``name`` is what the service calls it (``InvalidInput.field``)."""
    name: str
    label: str
    kind: str = "text"  # text | number | choice | choices | check
    value: Any = None
    options: Sequence[tuple[Any, Any]] = ()  # (label, value) for a choice or choices
    required: bool = True
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    places: int = 2  # decimals a number may have (0: whole numbers)
    max_length: int = 200
    placeholder: str = ""
    password: bool = False
    also: tuple[str, ...] = ()  # other names the service may use for this field
    hint: str = ""  # a word of help shown where the message goes while there is none
    suggestions: tuple[str, ...] = ()  # a text field's known values, offered as it is typed (→ takes one)
    widget_id: str = dataclass_field(default="", compare=False)

    @property
    def id(self) -> str:
        return f"field-{self.name}"


def text(name: str, label: str, *, value: str = "", required: bool = True, max_length: int = 200,
         placeholder: str = "", password: bool = False, also: tuple[str, ...] = (), hint: str = "",
         suggestions: Sequence[str] = ()) -> Field:
    return Field(name, label, "text", value or "", required=required, max_length=max_length,
                 placeholder=placeholder, password=password, also=also, hint=hint, suggestions=tuple(suggestions))


def number(name: str, label: str, *, value: Any = None, minimum: Any = 0, maximum: Any, places: int = 2,
           required: bool = True, placeholder: str = "", also: tuple[str, ...] = (), hint: str = "") -> Field:
    """A number typed with digits (and a point when ``places``), within ``minimum`` and ``maximum``."""
    return Field(name, label, "number", "" if value is None else str(value), required=required,
                 minimum=None if minimum is None else Decimal(str(minimum)), maximum=Decimal(str(maximum)),
                 places=places, max_length=24, placeholder=placeholder, also=also, hint=hint)


def choice(name: str, label: str, options: Sequence[tuple[Any, Any]], *, value: Any = None, required: bool = True,
           placeholder: str = "", also: tuple[str, ...] = (), hint: str = "") -> Field:
    """One of ``options`` ((label, value) pairs; labels are shown literally)."""
    return Field(name, label, "choice", value, options=tuple(options), required=required, placeholder=placeholder,
                 also=also, hint=hint)


def choices(name: str, label: str, options: Sequence[tuple[Any, Any]], *, value: Sequence = (),
            required: bool = True, also: tuple[str, ...] = (), hint: str = "") -> Field:
    """Any number of ``options`` (space picks one), in the order picked."""
    return Field(name, label, "choices", tuple(value), options=tuple(options), required=required, also=also,
                 hint=hint)


def check(name: str, label: str, *, value: bool = False, hint: str = "") -> Field:
    return Field(name, label, "check", bool(value), required=False, hint=hint)


def parse_number(spec: Field, raw: str) -> Decimal:
    """The number typed into a number field, or DomainError saying what is wrong with it."""
    try:
        value = Decimal(raw.strip().replace(",", ""))
    except InvalidOperation:
        raise DomainError(_("Type a number, e.g. {example}.").format(example="12" if not spec.places else "12.50")) from None
    if not value.is_finite():
        raise DomainError(_("Type a number, e.g. {example}.").format(example="12"))
    if spec.places == 0 and value != value.to_integral_value():
        raise DomainError(_("A whole number, please."))
    if spec.places and value.as_tuple().exponent < -spec.places:
        raise DomainError(_("At most {places} decimals.").format(places=spec.places))
    if spec.minimum is not None and value < spec.minimum:
        raise DomainError(_("At least {minimum}.").format(minimum=spec.minimum))
    if spec.maximum is not None and value > spec.maximum:
        raise DomainError(_("At most {maximum}.").format(maximum=spec.maximum))
    return value


class FormBox(VerticalScroll, can_focus=False):
    """The form's fields, scrolled when they do not fit; Tab goes from field to field, not to the box."""


class FormDialog(ModalScreen[dict | None]):
    """A form in a dialog. ``on_submit(values)`` is called with every value once they are all valid;
    without one, the dialog closes with the values."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel")),
                Binding("ctrl+s", "submit", N_("Save"), priority=True)]

    def __init__(self, title: str, fields: Sequence[Field], *, intro: Text | str | None = None,
                 submit_label: str | None = None, focus: str | None = None) -> None:
        super().__init__()
        self.form_title = title
        self.fields = {spec.name: spec for spec in fields}
        self.intro = intro
        self.submit_label = submit_label or _("Save")
        self.first_focus = focus
        self.on_submit: Callable[[dict], None] | None = None
        self.busy = False

    # --- building -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with FormBox(id="form-box"):
            yield Static(literal(self.form_title, "bold"), classes="form-title")
            if self.intro:
                yield Static(self.intro if isinstance(self.intro, Text) else literal(self.intro, multiline=True),
                             classes="form-intro")
            for spec in self.fields.values():
                with Container(classes="form-field", id=f"row-{spec.name}"):
                    yield Label(literal(spec.label), classes="form-label")
                    yield self._widget(spec)
                    yield Static(literal(spec.hint, "italic"), classes="form-note -hint" if spec.hint else "form-note",
                                 id=f"note-{spec.name}")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="form-buttons"):
                yield Button(self.submit_label, id="form-submit", variant="primary", compact=True)
                yield Button(_("Cancel"), id="form-cancel", compact=True)
                yield Label(_("Ctrl+S save · Esc cancel"), classes="form-keys")

    def _widget(self, spec: Field) -> Widget:
        if spec.kind in ("text", "number"):
            restrict = None
            if spec.kind == "number":
                sign = "-?" if spec.minimum is None or spec.minimum < 0 else ""
                restrict = rf"{sign}[0-9]*" + (r"(\.[0-9]*)?" if spec.places else "")
            suggester = SuggestFromList(spec.suggestions, case_sensitive=False) if spec.suggestions else None
            return Input(value=str(spec.value or ""), placeholder=spec.placeholder, max_length=spec.max_length,
                         password=spec.password, restrict=restrict, suggester=suggester, compact=True, id=spec.id,
                         classes="form-input")
        if spec.kind == "choice":
            options = [(literal(label), value) for label, value in spec.options]
            allow_blank = spec.value is None or not spec.required
            return Select(options, value=spec.value if spec.value is not None else Select.NULL,
                          prompt=spec.placeholder or _("Choose…"), allow_blank=allow_blank, compact=True,
                          id=spec.id, classes="form-input")
        if spec.kind == "choices":
            return SelectionList(*[Selection(literal(label), value, value in spec.value)
                                   for label, value in spec.options], compact=True, id=spec.id,
                                 classes="form-input")
        if spec.kind == "check":
            return Checkbox(literal(""), value=bool(spec.value), compact=True, id=spec.id, classes="form-input")
        raise ValueError(f"unknown field kind {spec.kind!r}")

    def on_mount(self) -> None:
        self._fit(self.app.size.width)
        first = self.first_focus or next(iter(self.fields), None)
        if first is not None:
            self.query_one(f"#field-{first}").focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        self.set_class(width >= WIDE, "-wide")

    # --- values -------------------------------------------------------------------------------------
    def widget(self, name: str) -> Widget:
        return self.query_one(f"#field-{name}")

    def raw(self, name: str) -> Any:
        """What the field holds now, as the widget has it."""
        spec, widget = self.fields[name], self.widget(name)
        if spec.kind in ("text", "number"):
            return widget.value
        if spec.kind == "choice":
            return None if widget.value in (Select.NULL, Select.BLANK) else widget.value
        if spec.kind == "choices":
            return list(widget.selected)
        return widget.value

    def check_field(self, name: str, *, submitting: bool = False) -> Any:
        """The field's value, or DomainError saying what is wrong (empty required fields only when
        submitting: nobody wants to be told off while still typing)."""
        spec, raw = self.fields[name], self.raw(name)
        empty = raw in ("", None, []) or (isinstance(raw, str) and not raw.strip())
        if empty:
            if spec.required and submitting:
                raise DomainError(_("{label} is needed.").format(label=spec.label)
                                  if spec.kind in ("text", "number") else _("Choose one.") if spec.kind == "choice"
                                  else _("Pick at least one (space picks)."))
            return None if spec.kind != "choices" else []
        if spec.kind == "number":
            value = parse_number(spec, raw)
            return int(value) if spec.places == 0 else value
        if spec.kind == "text":
            return raw.strip()
        return raw

    def values(self) -> dict:
        return {name: self.check_field(name) for name in self.fields}

    # --- checking as the user types -------------------------------------------------------------------
    @on(Input.Changed, ".form-input")
    @on(Select.Changed, ".form-input")
    @on(SelectionList.SelectedChanged, ".form-input")
    def _changed(self, event) -> None:
        name = event.control.id.removeprefix("field-")
        try:
            self.check_field(name)
        except DomainError as error:
            self.show_note(name, str(error))
        else:
            self.show_note(name, None)
        self.changed(name)
        if isinstance(event, Select.Changed) and self.app.focused is event.control and self.is_mounted:
            self.focus_next()  # picked from the list: on to the next field, as a typed field's Tab would

    def changed(self, name: str) -> None:
        """A field changed (and was checked): a form that shows something worked out from its values
        (the change to give back) updates it here."""

    def show_note(self, name: str, text: str | None, *, hint: str | None = None) -> None:
        """The message beside a field (None: ``hint``, else its own hint again, if it has one)."""
        note = self.query_one(f"#note-{name}", Static)
        hint = hint or self.fields[name].hint
        if text:
            note.update(literal(text))
            note.set_classes("form-note -error")
        elif hint:
            note.update(literal(hint, "italic"))
            note.set_classes("form-note -hint")
        else:
            note.update("")
            note.set_classes("form-note")

    def show_error(self, text: str | None) -> None:
        error = self.query_one("#form-error", Static)
        error.update(literal(text or "", multiline=True))
        error.display = bool(text)

    # --- submitting ---------------------------------------------------------------------------------
    @on(Input.Submitted, ".form-input")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()  # (Enter came through the field's queue: what was typed before it is in)

    @on(Button.Pressed, "#form-submit")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._submit()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_submit(self) -> None:
        # Ctrl+S is a priority binding: the app runs it the moment it reads the key, when the focused field
        # may not have handled the keys typed just before it (a paste, a fast typist over SSH: one burst).
        # The submit waits its turn in that field's queue, after them.
        focused = self.focused
        if focused is not None:
            focused.call_later(self._submit)
        else:
            self._submit()

    def _submit(self) -> None:
        if self.busy or not self.is_attached:
            return
        values, first_bad = {}, None
        for name in self.fields:
            try:
                values[name] = self.check_field(name, submitting=True)
            except DomainError as error:
                self.show_note(name, str(error))
                first_bad = first_bad or name
        if first_bad is not None:
            self.widget(first_bad).focus()
            return
        self.show_error(None)
        if self.on_submit is None:
            self.dismiss(values)
        else:
            self.on_submit(values)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    # --- while the service works on it (Acting.act) ---------------------------------------------------
    def working(self, busy: bool) -> None:
        self.busy = busy
        self.query_one("#form-submit", Button).disabled = busy

    def show_refusal(self, error: DomainError) -> None:
        """The service said no: its message beside the field it names (or under the form), every value kept."""
        name = self.field_named(getattr(error, "field", None))
        if name is None:
            self.show_error(str(error))
            return
        self.show_error(None)
        self.show_note(name, str(error))
        self.widget(name).focus()

    def field_named(self, service_name: str | None) -> str | None:
        if not service_name:
            return None
        for name, spec in self.fields.items():
            if service_name == name or service_name in spec.also:
                return name
        return None

    def accepted(self, result: Any) -> None:
        if self.is_attached:
            self.dismiss(result)
