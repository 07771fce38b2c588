"""Domain errors: each says what went wrong in the shop's words, ready to show on screen."""


class DomainError(Exception):
    """A refused action. ``str(error)`` is the message for the user; ``field`` names the input it is
    about, if any (the form shows the message beside that field: screens never match message text)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class InvalidInput(DomainError):
    """What was typed cannot be used; ``field`` says which input."""


class NotFound(DomainError):
    pass


class NotAllowed(DomainError):
    """The acting staff member's role may not take this action."""


class IllegalTransition(DomainError):
    """The order cannot move that way from where it is."""


class StaleOrder(DomainError):
    """The order changed in another terminal since this one last saw it."""

    def __init__(self, message: str, order_id: int):
        super().__init__(message)
        self.order_id = order_id


class SignInFailed(DomainError):
    pass


class Busy(DomainError):
    """Other terminals' changes kept winning the race for the same records: nothing was saved."""

    def __init__(self, message: str | None = None):
        if message is None:
            from workshop.i18n import _
            message = _("The database is busy with other terminals' changes: nothing was saved. Try again.")
        super().__init__(message)


class DatabaseFault(DomainError):
    """The database could not do what was asked (disk full, read-only, damaged, unreachable): the change was
    rolled back and nothing was saved. The message says what happened and what to do (workshop/faults.py)."""


class WriteBusy(DatabaseFault):
    """Another terminal's change held the write lock past the deadline (it is stopped, hung or very slow):
    this change gave up, having changed nothing."""


class StaleRecord(DomainError):
    """A record (a customer's or vehicle's file, a catalog entry) changed at another terminal since this one
    read it: the change is refused so nobody's edit is silently overwritten."""
