"""Writes of the review season. Every rule decision is asked of `xeploai.rules`."""
