"""Charts as server-side SVG: readable in the page and, later, in the PDF; no script, no CDN."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xeploai.reports.rollup import LEVELS

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
                f'fill="{COLORS[level]}"><title>{escape(labels[level])}: {n}</title>'
                "</rect>"
            )
            if w > 24:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 16}" text-anchor="middle" '
                    f'font-size="12" fill="#fff">{n}</text>'
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
