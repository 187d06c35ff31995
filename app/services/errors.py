"""Domain errors: each carries a message in Portuguese that can be shown to the clerk as is."""


class DomainError(Exception):
    """A rule refused the action; nothing was changed."""

    field = None

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        if field:
            self.field = field


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class Duplicate(DomainError):
    pass


class InvalidInput(DomainError):
    pass


class RateLimited(DomainError):
    pass
