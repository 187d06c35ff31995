"""The domain: verb-named functions that change state. They take the acting user and unit as
arguments, raise DomainError subclasses, write history/audit and flush; the caller commits."""
