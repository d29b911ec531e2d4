"""Charts drawn on the server for the PDF: small SVG bar charts written here, which WeasyPrint draws
with the same Noto Sans CJK font as the text (so the Chinese labels stay text in the PDF). No
plotting library is needed for horizontal bars with a target mark."""

from django.utils.html import escape

FONT = "Noto Sans CJK SC, sans-serif"
COLOURS = {"primary": "#0d6efd", "muted": "#adb5bd", "success": "#198754", "warning": "#e0a800",
           "danger": "#dc3545", "secondary": "#6c757d"}


def bars(rows: list[dict], *, width: int = 640, label_width: int = 170, unit: str = "",
         maximum: float | None = None) -> str:
    """Horizontal bars: each row {label, value, previous?, target?, tone?}; `previous` is drawn as a thin
    grey bar under the main one, `target` as a black mark."""
    rows = [r for r in rows if r.get("value") is not None or r.get("previous") is not None]
    if not rows:
        return ""
    has_previous = any(r.get("previous") is not None for r in rows)
    step = 26 if has_previous else 20
    top = max([r.get("value") or 0 for r in rows] + [r.get("previous") or 0 for r in rows]
              + [r.get("target") or 0 for r in rows])
    top = maximum or top or 1
    plot = width - label_width - 70
    height = step * len(rows) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11">']
    for n, r in enumerate(rows):
        y = 4 + n * step
        label = escape(str(r["label"])[:24])
        parts.append(f'<text x="{label_width - 6}" y="{y + 12}" text-anchor="end">{label}</text>')
        value = r.get("value") or 0
        w = max(plot * min(value, top) / top, 0)
        colour = COLOURS.get(r.get("tone") or "primary", COLOURS["primary"])
        parts.append(f'<rect x="{label_width}" y="{y + 2}" width="{w:.1f}" height="13" fill="{colour}"/>')
        shown = r.get("display") or (f"{value:g}{unit}")
        mark = plot * min(r["target"], top) / top if r.get("target") is not None else 0
        parts.append(f'<text x="{label_width + max(w, mark) + 4:.1f}" y="{y + 13}">{escape(shown)}</text>')
        if has_previous and r.get("previous") is not None:
            pw = plot * min(r["previous"], top) / top
            parts.append(f'<rect x="{label_width}" y="{y + 17}" width="{pw:.1f}" height="5" '
                         f'fill="{COLOURS["muted"]}"/>')
        if r.get("target") is not None:
            tx = label_width + plot * min(r["target"], top) / top
            parts.append(f'<line x1="{tx:.1f}" y1="{y}" x2="{tx:.1f}" y2="{y + 18}" stroke="#000" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def legend(items: list[tuple[str, str]]) -> str:
    """A one-line legend: (colour name or 'target', label)."""
    x, parts = 0, []
    for colour, label in items:
        if colour == "target":
            parts.append(f'<line x1="{x + 5}" y1="2" x2="{x + 5}" y2="14" stroke="#000" stroke-width="2"/>')
        else:
            parts.append(f'<rect x="{x}" y="3" width="12" height="10" fill="{COLOURS.get(colour, colour)}"/>')
        parts.append(f'<text x="{x + 16}" y="12">{escape(label)}</text>')
        x += 28 + 12 * len(label)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{x}" height="16" font-family="{FONT}" '
            f'font-size="10">{"".join(parts)}</svg>')
