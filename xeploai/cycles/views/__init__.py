"""The season's pages: cycles and boards (season.py), one subject's pages (subjects.py)."""
