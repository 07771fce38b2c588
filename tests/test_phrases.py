"""History in the reader's language: an event keeps its phrase (msgid and values), and each reader sees
it in their own language, whoever wrote it; events written before phrases show as they were written."""
import datetime as dt
from decimal import Decimal

from models.events import Event
from workshop import audit, i18n, lifecycle
from workshop.phrase import Items, Money, Phrase, Term, When, Word, load, order_ref


def reading(language, read):
    before = i18n.language()
    i18n.set_language(language)
    try:
        return read()
    finally:
        i18n.set_language(before)


def test_a_move_made_in_english_reads_in_chinese_and_the_other_way_round(shop):
    order = shop.dispatched()
    reading("en", lambda: lifecycle.transition(order.id, "start", by=shop.dispatcher))
    reading("zh_CN", lambda: lifecycle.transition(order.id, "wait_parts", by=shop.dispatcher))
    english = reading("en", lambda: [row.summary for row in audit.order_history(order.id)])
    chinese = reading("zh_CN", lambda: [row.summary for row in audit.order_history(order.id)])
    number = order.number
    assert english[:2] == [f"RO {number} was put on waiting for parts (In progress → Waiting for parts)",
                           f"RO {number} was started (Dispatched → In progress)"]
    assert chinese[:2] == [f"维修单 {number} 已转为待料（维修中 → 待料）",
                           f"维修单 {number} 已开工（已派工 → 维修中）"]
    # The record keeps the English (searches, logs, older terminals), whoever wrote it.
    stored = [e.summary for e in Event.select().where(Event.order == order.id).order_by(Event.id.desc())][:2]
    assert stored == english[:2]
    assert reading("zh_CN", lambda: audit.search(order_number=number)[0].summary) == chinese[0]


def test_an_event_written_before_phrases_shows_as_it_was_written(shop):
    order = shop.dispatched()
    Event.create(at=dt.datetime(2026, 11, 1, 9), kind="note", entity="repair_order", entity_id=order.id,
                 order=order.id, summary="RO 7 was checked in by hand")
    assert reading("zh_CN", lambda: audit.order_history(order.id)[0].summary) == "RO 7 was checked in by hand"


def test_a_phrase_survives_its_json_with_every_kind_of_value():
    phrase = Phrase(i18n.N_("{order}: {method} payment {amount} taken"), order=order_ref(1042),
                    method=Term("models.settlement:METHOD_LABELS", "cash"), amount=Money(Decimal("1234.50")))
    again = load(phrase.to_json())
    assert again == phrase
    assert reading("en", again.say) == "RO 1042: Cash payment 1,234.50 taken"
    assert reading("zh_CN", Phrase("{a}", a=Money(Decimal("5"), symbol=True)).say) == "¥5.00"
    mixed = Phrase("{a} {b} {c} {d}", a=Word("Cash"), b=When(dt.datetime(2026, 11, 30, 9, 5), "%a %H:%M"),
                   c=Items(["x", Word("Cash")]), d=None)
    assert reading("zh_CN", load(mixed.to_json()).say) == "现金 周一 09:05 x、现金 "


def test_an_unreadable_message_falls_back_to_the_summary():
    from workshop.phrase import render
    assert render("{not json", "as written") == "as written"
    assert render('{"m": "{missing}", "a": {}}', "as written") == "as written"  # (a value lost)
    assert render(None, "as written") == "as written"
