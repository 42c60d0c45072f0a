class AppError(Exception):
    """An error the user can act on; `message` is already in the user's language."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
