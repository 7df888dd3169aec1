"""What a refused change raises: nothing was saved. The callers turn them into messages."""


class RegistrationError(Exception):
    """A rule refused the change; nothing was saved."""


class NotOpen(RegistrationError):
    def __init__(self, state):
        super().__init__(state)
        self.state = state


class AlreadyRegistered(RegistrationError):
    """The address already holds a place, waits for one or awaits its confirmation at this event."""


class TooManyUnconfirmed(RegistrationError):
    """This client already has settings.REGISTRATION_HOLDS_PER_CLIENT unconfirmed registrations
    at this event."""


class NoPlace(RegistrationError):
    """No place for this registrant: ``problems`` says which limits, ``position`` where they
    would stand on the waiting list."""

    def __init__(self, problems, position):
        super().__init__(problems)
        self.problems, self.position = problems, position


class Expired(RegistrationError):
    """The address was confirmed too late: its place has been taken meanwhile."""
