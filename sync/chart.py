"""The weekly chart: 28 days of revenue (bars) and orders (line) as a PNG of about
1200×600 px, drawn with matplotlib's Agg backend in a Korean font loaded by file path
(`DIGEST_FONT_PATH`, Debian's fonts-nanum) so that Korean labels never fall back to boxes.

Counts and sums per day only; the image carries no personal data and no product names.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from sync.digest import CHART_DAYS, DayPoint
from sync.i18n import t

WIDTH_PX, HEIGHT_PX, DPI = 1200, 600, 100


class ChartError(Exception):
    """The chart could not be drawn (no font file, say); the message says so, the run goes on."""


def render_chart(points: Sequence[DayPoint], lang: str, font_path: str) -> bytes:
    """The PNG bytes. Raises `ChartError` when the font file is missing."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    font_file = Path(font_path)
    if not font_file.is_file():
        raise ChartError(f"font file not found: {font_file.name}")
    font_manager.fontManager.addfont(str(font_file))
    family = font_manager.FontProperties(fname=str(font_file)).get_name()
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    with matplotlib.rc_context({"font.family": family, "axes.unicode_minus": False}):
        revenue_axes = figure.add_subplot()
        orders_axes = revenue_axes.twinx()
        days = [f"{p.day.month}/{p.day.day}" for p in points]
        positions = range(len(points))
        revenue_axes.bar(positions, [p.revenue or 0 for p in points], color="#d64545",
                         alpha=0.75, label=t("digest.chart.revenue", lang))
        orders_axes.plot(positions, [p.orders if p.orders is not None else float("nan")
                                     for p in points],
                         color="#1f3a5f", marker="o", label=t("digest.chart.orders", lang))
        revenue_axes.set_xticks(list(positions)[::2], days[::2])
        revenue_axes.set_ylabel(t("digest.chart.revenue", lang))
        orders_axes.set_ylabel(t("digest.chart.orders", lang))
        revenue_axes.yaxis.set_major_formatter(
            FuncFormatter(lambda value, _: f"{int(value):,}"))
        revenue_axes.set_title(t("digest.chart.title", lang, days=CHART_DAYS))
        if any(p.revenue is None for p in points):
            figure.text(0.01, 0.01, t("digest.chart.no_data", lang), fontsize=9)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
