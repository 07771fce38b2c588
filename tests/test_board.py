"""The board's read side that is not a card: what the board can be filtered by."""
from models.people import Staff
from models.shop import Bay
from tests.factories import make_staff
from workshop import board


def test_filter_offers_active_bays_by_code_and_active_technicians_and_advisors_by_name(shop):
    choices = board.filter_choices()
    assert choices.bays == tuple((b.id, b.code, b.name) for b in sorted(shop.bays, key=lambda b: b.code))
    assert [code for _, code, _ in choices.bays] == ["B1", "M1", "M2", "P1", "Q1"]
    assert choices.technicians == ("Song Jie", "Tang Kai", "Xu Gang")
    assert choices.advisors == ((shop.advisor.id, "Li Wei"),)


def test_filter_leaves_out_what_is_inactive_and_lists_a_person_with_both_roles_twice(shop):
    Bay.update(active=False).where(Bay.id == shop.bays[1].id).execute()
    Staff.update(active=False).where(Staff.id == shop.techs[0].id).execute()
    both = make_staff("an.na", "An Na", "advisor,technician", "mechanical")
    choices = board.filter_choices()
    assert [code for _, code, _ in choices.bays] == ["B1", "M2", "P1", "Q1"]
    assert choices.technicians == ("An Na", "Song Jie", "Tang Kai")
    assert choices.advisors == ((both.id, "An Na"), (shop.advisor.id, "Li Wei"))
