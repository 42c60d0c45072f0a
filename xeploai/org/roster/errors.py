class UnreadableFile(Exception):
    """The file as a whole cannot be read; the message is in the user's language."""
