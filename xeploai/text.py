"""What text may hold, wherever it comes from (a form, an API call, a roster file)."""

import re

# Bidirectional overrides and isolates: they reorder what a reader sees (a name that reads
# differently from what is stored). Stripped.
BIDI = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# C0 and C1 controls and DEL: invisible, refused by PostgreSQL (NUL) and by Excel and Word.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
# The same, but tab and line feed, in text of several lines.
CONTROLS_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
