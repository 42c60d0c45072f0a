"""Charts as server-side SVG: readable in the page and, later, in the PDF; no script, no CDN."""

import datetime

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xeploai.reports.rollup import LEVELS


def _grouped(n: int) -> str:
    """A count as the tables write it: 1.878 in Vietnamese."""
    return number_format(n, force_grouping=True)


COLORS = {
    "excellent": "#1a7f37",
    "good": "#0b4f9c",
    "complete": "#b35900",
    "not_complete": "#a3120d",
}


def level_bars(
    rows: list[tuple[str, dict[str, int]]], labels: dict[str, str], title: str
) -> SafeString:
    """Horizontal stacked bars, one per unit, of decided levels; the numbers are written in."""
    width, bar_h, gap, left = 640, 22, 10, 220
    height = 40 + len(rows) * (bar_h + gap) + 30
    biggest = max([sum(counts.values()) for _name, counts in rows] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart" '
        'font-family="system-ui, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    y = 30
    for name, counts in rows:
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{escape(name[:32])}</text>"
        )
        x = left
        for level in LEVELS:
            n = counts.get(level, 0)
            if not n:
                continue
            w = (width - left - 20) * n / biggest
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{COLORS[level]}"><title>{escape(labels[level])}: {_grouped(n)}</title>'
                "</rect>"
            )
            if w > 24:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 16}" text-anchor="middle" '
                    f'font-size="12" fill="#fff">{_grouped(n)}</text>'
                )
            x += w
        y += bar_h + gap
    x = left
    for level in LEVELS:
        parts.append(f'<rect x="{x}" y="{y + 4}" width="12" height="12" fill="{COLORS[level]}"/>')
        short = labels[level].split("(")[-1].rstrip(")")
        parts.append(f'<text x="{x + 16}" y="{y + 15}" font-size="12">{escape(short)}</text>')
        x += 90
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _open(width: int, height: int, title: str, desc: str = "") -> list[str]:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart" '
        'font-family="system-ui, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    if desc:
        parts.append(f"<desc>{escape(desc)}</desc>")
    return parts


def _short(label: str) -> str:
    """ "Excellent (HTXS)" → "HTXS": the abbreviation users know."""
    return label.split("(")[-1].rstrip(")")


def _legend(parts: list[str], y: int, items: list[tuple[str, str, str]], x: int = 20) -> None:
    """Colour squares with their names; items are (fill, opacity, text)."""
    for fill, opacity, text in items:
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{fill}" fill-opacity="{opacity}"/>'
        )
        parts.append(f'<text x="{x + 16}" y="{y + 11}" font-size="12">{escape(text)}</text>')
        x += 24 + 7 * len(text)


def self_vs_decided(
    self_counts: dict[str, int],
    decided_counts: dict[str, int],
    labels: dict[str, str],
    title: str,
    names: tuple[str, str],
) -> SafeString:
    """Paired vertical bars per level: what subjects rated themselves (pale) beside what was
    decided (solid). `names` are the two series' names, self first."""
    width, height, top, bottom = 640, 260, 30, 200
    biggest = max([*self_counts.values(), *decided_counts.values(), 1])
    parts = _open(width, height, title)
    group = (width - 40) / len(LEVELS)
    bar = 44
    for i, level in enumerate(LEVELS):
        x0 = 20 + i * group + (group - 2 * bar - 6) / 2
        for j, (counts, opacity, series) in enumerate(
            ((self_counts, "0.45", names[0]), (decided_counts, "1", names[1]))
        ):
            n = counts.get(level, 0)
            h = (bottom - top) * n / biggest
            x = x0 + j * (bar + 6)
            parts.append(
                f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{COLORS[level]}" fill-opacity="{opacity}">'
                f"<title>{escape(series)}, {escape(labels[level])}: {_grouped(n)}</title></rect>"
            )
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{bottom - h - 4:.1f}" text-anchor="middle" '
                f'font-size="12">{_grouped(n)}</text>'
            )
        parts.append(
            f'<text x="{20 + i * group + group / 2:.1f}" y="{bottom + 18}" '
            f'text-anchor="middle" font-size="13">{escape(_short(labels[level]))}</text>'
        )
    parts.append(f'<line x1="20" y1="{bottom}" x2="{width - 20}" y2="{bottom}" stroke="#555"/>')
    _legend(parts, bottom + 36, [("#555", "0.45", names[0]), ("#555", "1", names[1])])
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend(
    points: list[tuple[str, dict[str, int]]], labels: dict[str, str], title: str
) -> SafeString:
    """One stacked vertical bar of decided levels per period, oldest first, the count of each
    level written in its segment (or beside it when the segment is thin) and the total above."""
    width, height, top, bottom = 640, 300, 34, 230
    biggest = max([sum(c.values()) for _label, c in points] + [1])
    parts = _open(width, height, title)
    slot = (width - 40) / max(len(points), 1)
    bar = min(64, slot * 0.6)
    for i, (label, counts) in enumerate(points):
        x = 20 + i * slot + (slot - bar) / 2
        y = float(bottom)
        total = sum(counts.values())
        for level in reversed(LEVELS):
            n = counts.get(level, 0)
            if not n:
                continue
            h = (bottom - top) * n / biggest
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{COLORS[level]}"><title>{escape(label)}, {escape(labels[level])}: '
                f"{_grouped(n)}</title></rect>"
            )
            if h >= 14:
                parts.append(
                    f'<text x="{x + bar / 2:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="middle" '
                    f'font-size="11" fill="#fff">{_grouped(n)}</text>'
                )
            else:
                parts.append(
                    f'<text x="{x + bar + 3:.1f}" y="{y + h / 2 + 4:.1f}" font-size="10">'
                    f"{_grouped(n)}</text>"
                )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{y - 6:.1f}" text-anchor="middle" font-size="12" '
            f'font-weight="600">{_grouped(total)}</text>'
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{bottom + 18}" text-anchor="middle" '
            f'font-size="13">{escape(label[:14])}</text>'
        )
    parts.append(f'<line x1="20" y1="{bottom}" x2="{width - 20}" y2="{bottom}" stroke="#555"/>')
    _legend(parts, bottom + 36, [(COLORS[lv], "1", _short(labels[lv])) for lv in LEVELS])
    parts.append("</svg>")
    return mark_safe("".join(parts))


def deadlines(
    rows: list[tuple[str, int, int, datetime.date, int]],
    today: datetime.date,
    title: str,
    words: dict[str, str],
) -> SafeString:
    """Progress against the deadlines: per deadline (label, done, total, due date, late) a bar
    of done over total, the due date and the late count written beside it; a time line above
    marks every due date and today. `words` gives "due", "late" and "today" in the user's
    language."""
    width, left, bar_h, gap = 640, 200, 18, 44
    line_y = 44
    height = line_y + 40 + len(rows) * gap + 10
    parts = _open(width, height, title)
    days = [r[3] for r in rows] + [today]
    start, end = min(days), max(days)
    span = max((end - start).days, 1)

    def at(day: datetime.date) -> float:
        return left + (width - left - 40) * (day - start).days / span

    parts.append(f'<line x1="{left}" y1="{line_y}" x2="{width - 40}" y2="{line_y}" stroke="#555"/>')
    for due in sorted({r[3] for r in rows}):
        x = at(due)
        parts.append(
            f'<line x1="{x:.1f}" y1="{line_y - 6}" x2="{x:.1f}" y2="{line_y + 6}" stroke="#555"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{line_y - 10}" text-anchor="middle" font-size="11">'
            f"{due:%d/%m}</text>"
        )
    x = at(today)
    parts.append(
        f'<line x1="{x:.1f}" y1="{line_y - 4}" x2="{x:.1f}" y2="{height - 6}" '
        'stroke="#a3120d" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<text x="{x:.1f}" y="{line_y + 20}" text-anchor="middle" font-size="11" '
        f'fill="#a3120d">{escape(words["today"])} {today:%d/%m}</text>'
    )
    y = line_y + 36
    full = width - left - 40
    for label, done, total, due, late in rows:
        share = done / total if total else 0
        parts.append(
            f'<text x="{left - 8}" y="{y + 13}" text-anchor="end" font-size="12">'
            f"{escape(label[:30])}</text>"
        )
        parts.append(
            f'<rect x="{left}" y="{y}" width="{full}" height="{bar_h}" fill="#ddd">'
            f"<title>{escape(label)}: {_grouped(done)} / {_grouped(total)}</title></rect>"
        )
        parts.append(
            f'<rect x="{left}" y="{y}" width="{full * share:.1f}" height="{bar_h}" '
            f'fill="{COLORS["excellent"]}"/>'
        )
        note = f"{_grouped(done)} / {_grouped(total)} · {words['due']} {due:%d/%m/%Y}"
        parts.append(
            f'<text x="{left}" y="{y + bar_h + 13}" font-size="11" fill="#333">'
            f"{escape(note)}</text>"
        )
        if late:
            parts.append(
                f'<text x="{width - 40}" y="{y + bar_h + 13}" text-anchor="end" font-size="11" '
                f'font-weight="600" fill="#a3120d">{_grouped(late)} {escape(words["late"])}</text>'
            )
        y += gap
    parts.append("</svg>")
    return mark_safe("".join(parts))
