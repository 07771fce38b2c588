"""Invoice, receipt and preview files: one folder beside the database, files 0640, written after the
transaction that issued them has committed (the A4 PDF a moment later, from a thread).

What a document says and how it looks is workshop/invoice.py's; this module only decides where the
files go and writes them safely:

- the folder is the ``invoice_dir`` setting (a relative path is taken from the database's folder),
  else ``documents/`` beside the database file: never the home or working folder of whoever runs the
  terminal. On PostgreSQL there is no database folder: a manager sets ``invoice_dir``;
- the folder is created group-writable only if the database's folder is (the SSH front desk shares a
  group), never open to others; each file is written to a temporary name and renamed into place, so a
  reader never sees half an invoice and a symlink planted at the name is replaced, not followed;
- a failure (disk full, folder not writable) never undoes a settlement: the caller gets the message
  to show, and the cashier's "invoice again" key writes the files later.
"""
from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from models.db import db, is_sqlite
from workshop import settings
from workshop.i18n import _

FILE_MODE = 0o640
FOLDER_NAME = "documents"


@dataclass(frozen=True)
class Written:
    """What writing a document's files came to: the paths written, or the message why not."""
    paths: tuple[Path, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class NoFolder(OSError):
    """No folder is configured and the database has none to sit beside."""


def folder() -> Path:
    """Where documents go (see the module's docstring); raises NoFolder when there is nowhere."""
    configured = str(settings.get("invoice_dir") or "").strip()
    base = None
    if is_sqlite() and db.obj.database not in ("", ":memory:"):
        base = Path(db.obj.database).expanduser().resolve().parent
    if configured:
        path = Path(configured).expanduser()
        if path.is_absolute():
            return path
        if base is not None:
            return base / path
    elif base is not None:
        return base / FOLDER_NAME
    raise NoFolder(_("no documents folder is set (a manager sets 'invoice_dir')"))


def ensure_folder(path: Path) -> None:
    """``path`` as a folder (made if missing) as open as the database's folder is to its group, never to
    others."""
    if path.is_dir():
        return
    # As open as the database's own folder for its group (the SSH front desk's logins share one), and
    # never for others; a setgid parent passes its group on by itself.
    parent_mode = stat.S_IMODE(path.parent.stat().st_mode) if path.parent.is_dir() else 0o750
    mode = 0o770 if parent_mode & stat.S_IWGRP else 0o750
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, mode | (parent_mode & stat.S_ISGID))


def _write(path: Path, content: str | bytes) -> None:
    """Write ``path`` whole or not at all: a temporary file in the same folder, 0640, renamed into place."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".")
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), FILE_MODE)
            out.write(content.encode("utf-8") if isinstance(content, str) else content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _write_pdf(data: dict, words, path: Path) -> None:
    """In a thread, from what was read beforehand (no database here): the A4 form as PDF. It takes a
    second or two (the CJK font), so nobody waits for it; without a font it is left out, the .txt and
    .html being the document."""
    from workshop.invoice import DocumentError, render_pdf
    try:
        _write(path, render_pdf(data, words))
    except (DocumentError, OSError):
        pass


def _reason(error: OSError) -> str:
    if isinstance(error, NoFolder):
        return str(error)
    return error.strerror or str(error)


def write_invoice(invoice_id: int, *, payment_id: int | None = None, reprint: bool = False,
                  pdf: bool = True) -> Written:
    """Write an invoice (or credit note) as .txt and .html, and its A4 form as .pdf beside them shortly
    after (in a thread); or a later payment's receipt as .txt and .html. ``reprint``: a copy, with
    everything received to date. Call it after the transaction that issued it has committed; a failure
    comes back as ``error``."""
    import threading
    from workshop.invoice import document_words, invoice_data, render_html, render_text
    data = invoice_data(invoice_id, payment_id, reprint=reprint)
    number = data["invoice_no"]
    prefix = "credit-note" if data["kind"] == "credit_note" else "invoice"
    stem = f"{prefix}-{number:06d}" + (f"-payment-{payment_id}" if payment_id else "")
    try:
        where = folder()
        ensure_folder(where)
        paths = (where / f"{stem}.txt", where / f"{stem}.html")
        _write(paths[0], render_text(data))
        _write(paths[1], render_html(data))
    except OSError as error:
        what = (_("The receipt of invoice {number}") if payment_id else _("Invoice {number}")).format(number=number)
        return Written(error=_("{what} is on record, but its files could not be written ({reason}). "
                               "Press i at the cashier's screen to write them again.").format(
                                   what=what, reason=_reason(error)))
    if pdf and payment_id is None and settings.get("invoice_pdf"):
        threading.Thread(target=_write_pdf, args=(data, document_words(), where / f"{stem}.pdf"),
                         name="invoice-pdf").start()
    return Written(paths)


def write_preview(order_id: int) -> Written:
    """Write the pre-settlement bill the advisor hands the customer, as preview-RO<number>.txt."""
    from workshop.invoice import preview_data, render_text
    data = preview_data(order_id)
    try:
        where = folder()
        ensure_folder(where)
        path = where / f"preview-RO{data['ro']}.txt"
        _write(path, render_text(data))
    except OSError as error:
        return Written(error=_("The preview could not be written ({reason}).").format(reason=_reason(error)))
    return Written((path,))


def write_estimate(order_id: int) -> Written:
    """Write the estimate (估价单) handed to the customer, as estimate-RO<number>.txt and .html."""
    from workshop.estimate_document import estimate_data, render_html, render_text
    data = estimate_data(order_id)
    try:
        where = folder()
        ensure_folder(where)
        paths = []
        for suffix, content in ((".txt", render_text(data)), (".html", render_html(data))):
            path = where / f"estimate-RO{data['ro']}{suffix}"
            _write(path, content)
            paths.append(path)
    except OSError as error:
        return Written(error=_("The estimate could not be written ({reason}).").format(reason=_reason(error)))
    return Written(tuple(paths))
