"""Invoice and receipt files: written by the settlement service once the settlement has committed, 0640,
in one folder beside the database; a failure to write them is a message, and they can be written again."""
import os
import stat

import pytest

from models.orders import RepairOrder
from models.settlement import Settlement
from screens.cashier import CashierScreen
from tests.ui import app_as, notifications, wait_until
from workshop import document_files, settings
from workshop import settlement as service


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def wait_for_pdfs() -> None:
    """The A4 PDF is written from a thread, a moment after the .txt and .html."""
    import threading
    for thread in threading.enumerate():
        if thread.name == "invoice-pdf":
            thread.join(60)


def test_settling_writes_the_files_0640_beside_the_database_never_in_home_or_the_working_folder(
        shop, db_path, tmp_path, monkeypatch):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    settings.put("invoice_pdf", True, by=shop.manager)
    umask = os.umask(0o022)
    try:
        order = shop.ready_for_settlement()
        invoice = service.settle(order.id, by=shop.cashier)
    finally:
        os.umask(umask)
    folder = db_path.parent / "documents"
    assert invoice.documents.ok
    assert invoice.documents.paths == (folder / "invoice-000001.txt", folder / "invoice-000001.html")
    assert [mode(p) for p in invoice.documents.paths] == [0o640, 0o640]
    assert mode(folder) & 0o007 == 0                                   # nothing for others
    assert "000001" in (folder / "invoice-000001.txt").read_text(encoding="utf-8")
    wait_for_pdfs()
    assert list(home.iterdir()) == [] and list(work.iterdir()) == []
    names = sorted(p.name for p in folder.iterdir())                  # no temporary files left over
    assert names in (["invoice-000001.html", "invoice-000001.pdf", "invoice-000001.txt"],
                     ["invoice-000001.html", "invoice-000001.txt"])   # (the PDF needs a CJK font)
    assert all(mode(folder / name) == 0o640 for name in names)


@pytest.mark.sqlite_only  # a database file's folder: PostgreSQL has none (the setting must be absolute there)
def test_a_relative_folder_setting_is_taken_from_the_database_folder(shop, db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings.put("invoice_dir", "printed", by=shop.manager)
    invoice = service.settle(shop.ready_for_settlement().id, by=shop.cashier)
    assert invoice.documents.paths[0] == db_path.parent / "printed" / "invoice-000001.txt"


def test_a_later_payment_on_a_settled_order_writes_its_receipt(shop, db_path):
    order = shop.ready_for_settlement()
    service.settle(order.id, by=shop.cashier)
    payment = service.take_payment(order.id, "card", "20", by=shop.cashier)
    assert payment.documents.paths[0].name == f"invoice-000001-payment-{payment.id}.txt"
    assert mode(payment.documents.paths[0]) == 0o640


def test_a_symlink_planted_at_an_invoice_name_is_replaced_not_followed(shop, db_path, tmp_path):
    folder = db_path.parent / "documents"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (folder / "invoice-000001.txt").symlink_to(victim)
    invoice = service.settle(shop.ready_for_settlement().id, by=shop.cashier)
    assert invoice.documents.ok and victim.read_text() == "keep me"
    assert not (folder / "invoice-000001.txt").is_symlink()


def test_when_the_files_cannot_be_written_the_settlement_stands_with_a_message_and_they_can_be_written_again(
        shop, db_path):
    blocker = db_path.parent / "documents"
    blocker.write_text("not a folder")
    order = shop.ready_for_settlement()
    invoice = service.settle(order.id, by=shop.cashier)
    assert RepairOrder.get_by_id(order.id).state == "settled" and Settlement.select().count() == 1
    assert not invoice.documents.ok and "Invoice 1 is on record" in invoice.documents.error
    assert "Press i" in invoice.documents.error
    blocker.unlink()
    again = service.write_documents(order.id, by=shop.cashier)
    assert again.ok and again.paths[0].exists()


async def test_the_cashier_is_told_the_files_failed_and_writes_them_again_with_i(shop, db_path):
    blocker = db_path.parent / "documents"
    blocker.write_text("not a folder")
    order = shop.ready_for_settlement()
    service.take_payment(order.id, "card", "60", by=shop.cashier)
    async with app_as(shop.cashier).run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CashierScreen)
        await pilot.press("s")
        assert await wait_until(pilot, lambda: any("could not be written" in n for n in notifications(pilot.app)))
        assert RepairOrder.get_by_id(order.id).state == "settled"
        blocker.unlink()
        await pilot.press("i")
        path = db_path.parent / "documents" / "invoice-000001.txt"
        assert await wait_until(pilot, lambda: any(str(path) in n for n in notifications(pilot.app)))
        assert path.exists()


def test_on_postgresql_without_a_folder_set_nothing_goes_to_anyones_home(shop, monkeypatch):
    monkeypatch.setattr(document_files, "is_sqlite", lambda: False)
    settings.put("invoice_dir", "", by=shop.manager)  # (the suite's PostgreSQL pass sets one for every test)
    written = document_files.write_invoice(service.settle(shop.ready_for_settlement().id, by=shop.cashier).id)
    assert not written.ok and "invoice_dir" in written.error


def test_exported_lists_are_0640_beside_the_documents_and_never_in_anyones_home(shop, db_path, tmp_path,
                                                                               monkeypatch):
    """An exported list (the cashier's queue, receivables, a warranty batch) names customers: under the usual
    umask 022 it is still 0640, in an exports folder closed to other logins, beside the database; on
    PostgreSQL without a folder set it is refused with a message, not written to whoever's home."""
    from workshop import claim_export, export
    from workshop.errors import InvalidInput
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    shop.ready_for_settlement()
    umask = os.umask(0o022)
    try:
        paths = export.export_both("cashier_queue", service.cashier_queue(""))
    finally:
        os.umask(umask)
    assert all(p.parent == db_path.parent / "exports" for p in paths)
    assert [mode(p) for p in paths] == [0o640, 0o640] and mode(paths[0].parent) & 0o007 == 0
    assert not any(home.iterdir())
    monkeypatch.setattr(document_files, "is_sqlite", lambda: False)
    settings.put("invoice_dir", "", by=shop.manager)
    with pytest.raises(OSError, match="invoice_dir"):
        export.export_both("cashier_queue", [])
    with pytest.raises(InvalidInput, match="invoice_dir"):
        claim_export.export_batch_files([1])
    assert not any(home.iterdir())
