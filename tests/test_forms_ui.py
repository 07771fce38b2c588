"""Forms, not prompts: typed fields checked as they are typed; a refused submit keeps every value and
says why beside the field the refusal names. The multi-answer prompts the issue names, one by one."""
from decimal import Decimal as D
from functools import partial

from textual import events
from textual.app import App

from models.orders import RepairOrder
from models.settlement import FeeLine, Payment
from screens import forms
from screens.acting import Acting
from screens.board import BoardScreen
from screens.forms import FormDialog
from tests.ui import app_as, settled, wait_until
from workshop.errors import InvalidInput, NotAllowed


class Host(Acting, App):
    """An app that only opens one form whose service refuses, naming a field (or none)."""

    def __init__(self, form: FormDialog, refusal):
        super().__init__()
        self.form, self.refusal, self.calls = form, refusal, []
        self.staff = None

    def on_mount(self) -> None:
        self.ask(self.form, lambda values: partial(self.service, values))

    def service(self, values, *, by=None):
        self.calls.append(values)
        raise self.refusal

    def catch_up(self) -> None:
        pass


def every_kind() -> FormDialog:
    return FormDialog("Every kind of field", [
        forms.text("reason", "Reason"),
        forms.choice("who", "Who", [("Xu Gang", 1), ("Song Jie", 2)]),
        forms.number("amount", "Amount", minimum="0.01", maximum=1000),
        forms.choices("techs", "Technicians", [("A", "a"), ("B", "b"), ("C", "c")]),
        forms.check("urgent", "Urgent"),
    ])


async def fill_every_kind(pilot) -> None:
    await pilot.press(*"brake noise", "tab")
    await pilot.press("enter", "down", "down", "enter")          # Song Jie; on to the amount
    await pilot.press(*"12.50", "tab", "space", "down", "down", "space", "tab", "space")  # A and C; urgent


async def test_a_refused_submit_keeps_every_value_and_says_why_beside_the_named_field(db_path):
    app = Host(every_kind(), InvalidInput("Only 10.00 can be taken.", "amount"))
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_every_kind(pilot)
        await pilot.press("ctrl+s")
        await settled(pilot)
        form = app.screen
        assert form is app.form and app.calls == [{"reason": "brake noise", "who": 2, "amount": D("12.50"),
                                                   "techs": ["a", "c"], "urgent": True}]
        assert (form.raw("reason"), form.raw("who"), form.raw("amount"), form.raw("techs"), form.raw("urgent")) == (
            "brake noise", 2, "12.50", ["a", "c"], True)
        assert str(form.query_one("#note-amount").content) == "Only 10.00 can be taken."
        assert app.focused is form.widget("amount")


async def test_what_is_typed_in_one_burst_with_ctrl_s_is_all_sent(db_path):
    """A paste, or a fast typist over SSH: the text and Ctrl+S reach the app together. Ctrl+S (a priority key,
    run as soon as the app reads it) waits for the field to take the text before it."""
    app = Host(FormDialog("One field", [forms.text("reason", "Reason"), forms.number("qty", "Qty", maximum=99)]),
               InvalidInput("Not today.", "reason"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("tab", "1", "2", "shift+tab")  # the quantity first, then back to the reason
        for key in ("b", "r", "a", "k", "e", "s", "ctrl+s"):  # all queued before any is handled
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await settled(pilot)
        assert app.calls == [{"reason": "brakes", "qty": 12}]


async def test_a_refusal_about_no_field_is_said_under_the_form_and_keeps_the_values(db_path):
    app = Host(every_kind(), NotAllowed("Hu Xin may not give a discount: only a manager may."))
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_every_kind(pilot)
        await pilot.press("ctrl+s")
        await settled(pilot)
        form = app.screen
        assert form is app.form and "only a manager" in str(form.query_one("#form-error").content)
        assert form.raw("reason") == "brake noise" and form.raw("techs") == ["a", "c"]


async def test_fields_are_checked_as_typed_and_nothing_is_sent_until_they_are_right(db_path):
    app = Host(every_kind(), InvalidInput("never", "reason"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = app.screen
        await pilot.press("tab", "tab", *"1.234")
        assert "At most 2 decimals." in str(form.query_one("#note-amount").content)
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"2000")
        assert "At most 1000." in str(form.query_one("#note-amount").content)
        await pilot.press(*"-x")  # neither a sign nor a letter can be typed into an amount
        assert form.raw("amount") == "12000"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert app.calls == []  # nothing sent: reason and who are needed, the amount out of bounds
        assert "needed" in str(form.query_one("#note-reason").content)
        assert "Choose one." in str(form.query_one("#note-who").content)
        assert app.focused is form.widget("reason")


async def test_escape_cancels_and_enter_in_a_field_submits():
    answers = []

    class Plain(App):
        def on_mount(self) -> None:
            self.push_screen(FormDialog("Why?", [forms.text("reason", "Reason")]), answers.append)

    app = Plain()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"customer changed mind", "enter")
        await pilot.pause()
        assert answers == [{"reason": "customer changed mind"}]
    app = Plain()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"typed", "escape")
        await pilot.pause()
        assert answers[-1] is None


async def test_a_wide_terminal_puts_the_message_beside_the_field(db_path):
    app = Host(every_kind(), InvalidInput("Only 10.00 can be taken.", "amount"))
    async with app.run_test(size=(160, 50)) as pilot:
        await fill_every_kind(pilot)
        await pilot.press("ctrl+s")
        await settled(pilot)
        form = app.screen
        note, field = form.query_one("#note-amount").region, form.widget("amount").region
        assert note.y == field.y and note.x > field.right - 1  # beside, on the same line
    app = Host(every_kind(), InvalidInput("Only 10.00 can be taken.", "amount"))
    async with app.run_test(size=(80, 24)) as pilot:
        await fill_every_kind(pilot)
        await pilot.press("ctrl+s")
        await settled(pilot)
        form = app.screen
        note, field = form.query_one("#note-amount").region, form.widget("amount").region
        assert note.y == field.y + 1  # at 80 columns: under it


# --- the prompts the issue names ----------------------------------------------------------------------

async def test_dispatch_to_a_full_bay_keeps_the_form_with_the_reason_beside_the_bay(shop):
    shop.dispatched(shop.car2, bay=1)  # M1 holds one car and is full
    order = shop.order()
    async with app_as(shop.dispatcher).run_test(size=(80, 24)) as pilot:
        assert pilot.app.screen.select_order(order.id)
        await pilot.press("d")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        form = pilot.app.screen
        # The bays that take quick service first (M1, M2, Q1), Q1 suggested as the free one of its own kind.
        assert form.raw("bay-quick_service") == shop.bays[0].id
        await pilot.press("enter", "home", "enter", "space", "ctrl+s")  # bay M1, the first technician
        await settled(pilot)
        assert pilot.app.screen is form
        assert "Bay M1 is full" in str(form.query_one("#note-bay-quick_service").content)
        assert form.raw("bay-quick_service") == shop.bays[1].id
        assert form.raw("technicians-quick_service") == [shop.techs[1].id]  # Song Jie: quick service first
        assert RepairOrder.get_by_id(order.id).state == "checked_in"
        form.widget("bay-quick_service").focus()
        await pilot.press("enter", "end", "up", "up", "enter", "ctrl+s")  # Q1 instead: the technician is kept
        await settled(pilot)
        assert isinstance(pilot.app.screen, BoardScreen)
        assert RepairOrder.get_by_id(order.id).bay_id == shop.bays[0].id


async def test_a_fee_cannot_be_negative_or_nothing_and_the_form_stays(shop):
    order = shop.ready_for_settlement()
    async with app_as(shop.advisor).run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "CashierScreen")
        await pilot.press("e")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        form = pilot.app.screen
        await pilot.press("enter", "down", "enter", *"-5")  # management fee, "-5": the minus never lands
        assert form.raw("amount") == "5"
        await pilot.press("enter")
        await settled(pilot)
        assert pilot.app.screen is not form  # a fee of 5 added
        assert FeeLine.select().where(FeeLine.order == order.id).get().amount == D("5")
        await pilot.press("e")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        form = pilot.app.screen
        await pilot.press("enter", "down", "enter", "0", "tab", *"tow truck", "enter")
        await settled(pilot)
        assert pilot.app.screen is form and "At least 0.01." in str(form.query_one("#note-amount").content)
        assert form.raw("description") == "tow truck"


async def test_an_overpaid_card_payment_is_refused_beside_the_amount_with_everything_kept(shop):
    order = shop.ready_for_settlement()
    async with app_as(shop.cashier).run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "CashierScreen")
        await pilot.press("m")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        form = pilot.app.screen
        await pilot.press("shift+tab", "enter", "down", "enter")  # card
        await pilot.press("ctrl+u", *"500", "tab", "tab", *"slip 0042", "enter")
        await settled(pilot)
        assert pilot.app.screen is form and "more than the balance" in str(form.query_one("#note-amount").content)
        assert (form.raw("method"), form.raw("amount"), form.raw("reference")) == ("card", "500", "slip 0042")
        assert not Payment.select().where(Payment.order == order.id).exists()


async def test_an_unknown_part_code_is_refused_beside_the_code_and_the_quantity_kept(shop):
    order = shop.dispatched()
    async with app_as(shop.dispatcher).run_test(size=(80, 24)) as pilot:
        pilot.app.open_order(order.id)
        assert await wait_until(pilot, lambda: pilot.app.screen.__class__.__name__ == "OrderDetailScreen")
        await pilot.press("k")
        assert await wait_until(pilot, lambda: isinstance(pilot.app.screen, FormDialog))
        form = pilot.app.screen
        await pilot.press(*"NOPE-1", "tab", "backspace", "3", "enter")
        await settled(pilot)
        assert pilot.app.screen is form and "No part with code 'NOPE-1'" in str(form.query_one("#note-part").content)
        assert (form.raw("part"), form.raw("qty")) == ("NOPE-1", "3")
