"""Staff accounts read by the sign-in screen."""
from models.people import Staff
from workshop import accounts


def test_sign_in_list_is_active_staff_by_name_and_tells_a_demo_shop(shop):
    Staff.update(active=False).where(Staff.id == shop.cashier.id).execute()
    listed = accounts.sign_in_list()
    names = [p.name for p in listed.people]
    assert names == sorted(names) and "Hu Xin" not in names and len(names) == 9
    advisor = next(p for p in listed.people if p.name == "Li Wei")
    assert (advisor.id, advisor.roles) == (shop.advisor.id, "advisor")
    assert listed.demo_shop is False
    accounts.mark_demo_shop()
    assert accounts.sign_in_list().demo_shop is True
    assert [p.name for p in accounts.sign_in_list(limit=2).people] == names[:2]


def test_sign_in_list_of_a_shop_without_staff(db_path):
    assert accounts.sign_in_list() == accounts.SignInList(people=(), demo_shop=False)
