"""The one domain error type: its message is Chinese and shown to the user as it is."""


class DomainError(ValueError):
    """A rule of the domain was broken; ``str(error)`` is the user-facing message (zh-CN)."""
