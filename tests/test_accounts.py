"""Staff accounts read by the sign-in screen."""
from models.people import Staff
from tests.factories import TEST_PIN
from workshop import accounts


def test_sign_in_list_is_active_staff_by_name_and_tells_a_demo_pin(shop):
    Staff.update(active=False).where(Staff.id == shop.cashier.id).execute()
    listed = accounts.sign_in_list(TEST_PIN)
    names = [p.name for p in listed.people]
    assert names == sorted(names) and "Hu Xin" not in names and len(names) == 9
    advisor = next(p for p in listed.people if p.name == "Li Wei")
    assert (advisor.id, advisor.roles) == (shop.advisor.id, "advisor")
    assert listed.demo_pin_works is True
    assert accounts.sign_in_list("9999").demo_pin_works is False
    assert [p.name for p in accounts.sign_in_list(TEST_PIN, limit=2).people] == names[:2]


def test_sign_in_list_of_a_shop_without_staff(db_path):
    assert accounts.sign_in_list(TEST_PIN) == accounts.SignInList(people=(), demo_pin_works=False)
