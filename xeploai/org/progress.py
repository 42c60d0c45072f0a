import sys
import time

from django.utils.formats import number_format


def grouped(n: int) -> str:
    """A count grouped by thousands in the active language's way (3.456 in Vietnamese)."""
    return number_format(n, force_grouping=True)


class ProgressBar:
    """A one-line progress bar on stderr for long commands: `bar(phase, done, total)`."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.last = 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        done = min(done, total)
        if done < total and now - self.last < 0.2:
            return
        self.last = now
        if not self.stream.isatty():
            # In a log file, one line per quarter instead of a redrawn bar.
            quarter = 4 * done // total if total else 4
            if quarter == getattr(self, "_quarter", -1) and done < total:
                return
            self._quarter = quarter
            self.stream.write(f"{phase}: {grouped(done)}/{grouped(total)}\n")
            self.stream.flush()
            return
        filled = int(self.width * done / total) if total else self.width
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r{phase:<10} [{bar}] {grouped(done):>9}/{grouped(total)}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
