"""Charts as inline SVG, drawn by pygal at build time from the table they show.

A :class:`Chart` is a title, a description, a :class:`Table` of numbers and the SVG of
those same numbers: the page prints the table (folded under the chart) for screen
readers and for copying, so what the picture says is always in text too.

pygal draws; the site's stylesheet colours. Each SVG is stripped of what pygal adds for
its JavaScript tooltips (a script, a ``<desc>`` per point) and of its own ``<style>``:
the rules live once in ``assets/daily-papers.css``, in the light and the dark palette
(Material's ``data-md-color-scheme``), so a page with a chart carries no CSS of its own
and a chart follows the reader's palette switch without JavaScript. Coordinates are
rounded to a tenth of a pixel, and ids come from the chart's key, not pygal's random
UUID, so a build writes the same bytes every time.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.etree import ElementTree

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

#: How many series a chart may have: the stylesheet's colours (``--dp-chart-0`` to
#: ``-10``, one per series class ``color-N``).
COLORS = 11

#: What pygal adds for its tooltips and its own styling, removed from every chart (and
#: the tooltip's own group, ``class="tooltip"``).
_DROPPED = {"desc", "script", "style"}
_LONG_NUMBER = re.compile(r"(\d+\.\d)\d+")
_GEOMETRY = frozenset(("d", "x", "y", "x1", "x2", "y1", "y2", "width", "height", "transform"))

#: (labels at most, a label every): see :func:`_label_step`.
_LABEL_STEPS = ((8, 1), (30, 3), (60, 6))


def _label_step(count: int) -> int:
    """Every how many months an axis is labelled: at most about ten labels whatever the
    archive's length (every label up to 8, then every 3rd, 6th or 12th, a year)."""
    return next((step for limit, step in _LABEL_STEPS if count <= limit), 12)


Shape = Literal["bars", "lines", "stacked", "horizontal"]
_KINDS: dict[Shape, Callable[..., Any]] = {
    "bars": pygal.Bar,
    "lines": pygal.Line,
    "stacked": pygal.StackedLine,
    "horizontal": pygal.HorizontalBar,
}


@dataclass(frozen=True)
class Cell:
    """A header or a row's label, linked where it names a page (an organization's, a
    search for a keyword)."""

    label: str
    url: str | None = None


@dataclass(frozen=True)
class Table:
    """A chart's numbers: one row per point on the x axis (a month ``2024-02``...), one
    column per series. ``None`` is a value the month does not have (no known votes)."""

    head: str
    columns: tuple[Cell, ...]
    rows: tuple[tuple[Cell, tuple[float | None, ...]], ...]
    #: Decimal places of the printed values, and what follows them (``%``).
    digits: int = 0
    unit: str = ""

    def text(self, value: float | None) -> str:
        """A value as the table prints it: a count (an int) whole, others to ``digits``."""
        if value is None:
            return "–"
        if isinstance(value, int):
            return f"{value:,}{self.unit}"
        return f"{value:,.{self.digits}f}{self.unit}"


@dataclass(frozen=True)
class Area:
    """One series of counts (a topic's, organization's or author's papers per month), a
    value for each x label, drawn as a filled line.

    Drawn here rather than by pygal: a page of every topic, organization and author
    carries one, so there are thousands of them; pygal spends about 2.5 ms setting up
    each chart whatever its size (measured: the 139 small charts of a site of 5,400
    papers took 0.31 to 0.42 CPU s, where all charts may add 5% to a build of about 20),
    and this takes a fortieth of that. It draws what pygal's area chart draws, with the
    same classes, so the stylesheet colours both alike.
    """

    labels: tuple[str, ...]
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A chart as a page prints it: ``key`` is its id on the page.

    ``drawing`` is pygal's SVG (the trends page's few charts), or an :class:`Area`,
    drawn only when a page prints it: a page's view, the chart with it, is made at every
    rebuild of ``mkdocs serve`` to decide whether the page is written again (at 30,000
    papers, drawing the 16,000 author pages' charts took 3.2 of their views' 17.4
    profiled seconds).
    """

    key: str
    title: str
    description: str
    table: Table
    drawing: Markup | Area

    @property
    def svg(self) -> Markup:
        if isinstance(self.drawing, Area):
            return _draw_area(self.key, self.title, self.drawing)
        return self.drawing


def draw(
    key: str,
    title: str,
    description: str,
    table: Table,
    shape: Shape,
    *,
    logarithmic: bool = False,
) -> Chart:
    """Draw ``table`` as ``shape``: its columns are the series, its rows the x axis
    (``horizontal``: the rows are bars' labels, top to bottom)."""
    labels = [row.label for row, _ in table.rows]
    options: dict[str, Any] = {
        "style": _STYLE,
        "js": (),
        "css": (),  # its rules are dropped with its <style>: not read or templated
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": 720,
        "height": 360,
        "show_dots": False,
        "fill": shape == "stacked",
        "classes": ["dp-plot"],
        # The page prints the legend (as HTML, below the chart): pygal sizes its own by
        # counting characters as Latin ones, so Korean names overran the plot.
        "show_legend": False,
        "truncate_label": 24,
        "logarithmic": logarithmic,
        "show_minor_y_labels": not logarithmic,  # 1, 10, 100: the rest crowd the axis
        "value_formatter": lambda value: _axis_text(table, value),
        "margin": 8,
        "margin_right": 28,  # room for the last label, centred on the last point
        "spacing": 8,
        "print_values": False,
        "include_x_axis": not logarithmic,
    }
    if shape == "horizontal":
        labels.reverse()  # pygal draws the first label at the bottom
    else:
        every = _label_step(len(labels))
        options |= {"x_labels_major_every": every, "show_minor_x_labels": every == 1}
    known = [value for _, row in table.rows for value in row if value is not None]
    if not logarithmic and all(isinstance(value, int) for value in known):
        # Counts: whole numbers on the axis (pygal would step by fractions of one).
        options["y_labels"] = _whole_ticks(max(known, default=0))
    if len(table.columns) > COLORS:
        raise ValueError(f"{key}: {len(table.columns)} series, but the stylesheet colours {COLORS}")
    chart = _KINDS[shape](**options)
    chart.uuid = key
    chart.x_labels = labels
    for index, column in enumerate(table.columns):
        values = [row_values[index] for _, row_values in table.rows]
        if shape == "horizontal":
            values.reverse()
        chart.add(column.label, values)
    chart.add_xml_filter(lambda root: _clean(root, title))
    return Chart(key, title, description, table, Markup(chart.render(is_unicode=True)))


#: The small chart's box (its viewBox) and plot margins: left for the counts, below for
#: the months, right for the last month's label.
_SMALL = (720, 200)
_SMALL_MARGINS = (10, 28, 26, 44)  # top, right, bottom, left


def _draw_area(key: str, title: str, series: Area) -> Markup:
    values, labels = series.values, series.labels
    width, height = _SMALL
    top, right, bottom, left = _SMALL_MARGINS
    plot_width, plot_height = width - left - right, height - top - bottom
    ticks = _whole_ticks(max(values, default=0))

    def x(index: int) -> float:
        return left + (
            plot_width * index / (len(values) - 1) if len(values) > 1 else plot_width / 2
        )

    def y(value: float) -> float:
        return top + plot_height * (1 - value / ticks[-1])

    guides = "".join(
        f'<path d="M{left} {y(tick):.1f} h{plot_width}" class="{"major " if not tick else ""}'
        f'guide line"/><text x="{left - 5}" y="{y(tick) + 4:.1f}">{tick:,}</text>'
        for tick in ticks
    )
    every = _label_step(len(labels))
    months = "".join(
        f'<text x="{x(index):.1f}" y="{height - 6}" class="major">{escape(label)}</text>'
        for index, label in enumerate(labels)
        if index % every == 0
    )
    points = " ".join(f"{x(index):.1f} {y(value):.1f}" for index, value in enumerate(values))
    base = f"{y(0):.1f}"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="chart-{escape(key)}" class="dp-plot" '
        f'viewBox="0 0 {width} {height}" role="img"><title>{escape(title)}</title>'
        f'<g class="graph line-graph vertical"><g class="axis y always_show">{guides}</g>'
        f'<g class="axis x">{months}</g><g class="series serie-0 color-0">'
        f'<path d="M{x(0):.1f} {base} L{points} L{x(len(values) - 1):.1f} {base} z" '
        'class="line reactive"/></g></g></svg>'
    )
    return Markup(svg)


def _clean(root: ElementTree.Element, title: str) -> ElementTree.Element:
    """What the page keeps of pygal's SVG: no script, styles, comments or tooltips;
    rounded coordinates; the chart's title as its accessible name."""
    for parent in list(root.iter()):
        for child in list(parent):
            if (
                not isinstance(child.tag, str)
                or _local(child.tag) in _DROPPED
                or child.get("class") == "tooltip"
            ):
                parent.remove(child)
                continue
            attributes = child.attrib
            for name in _GEOMETRY.intersection(attributes):
                attributes[name] = _LONG_NUMBER.sub(r"\1", attributes[name])
    for child in root:
        if _local(child.tag) == "title":
            child.text = title
    root.set("role", "img")
    return root


def _axis_text(table: Table, value: float) -> str:
    """An axis label: as the table prints values, a whole number without decimals."""
    return table.text(int(value) if float(value).is_integer() else value)


def _whole_ticks(maximum: float) -> list[int]:
    """Whole-number ticks from zero to just past ``maximum``, at most seven, stepping by
    1, 2 or 5 times a power of ten."""
    step, factors = 1, itertools.cycle((2, 2.5, 2))  # 1, 2, 5, 10, 20, 50...
    while maximum / step > 6:
        step = round(step * next(factors))
    top = max(math.ceil(maximum / step), 1) * step
    return list(range(0, top + 1, step))


def _local(tag: str) -> str:
    """A tag without its namespace (pygal names them only when lxml is installed)."""
    return tag.rpartition("}")[2]


def _style() -> Style:
    """The text sizes the stylesheet prints labels at, which pygal lays the chart out
    with (its colours are dropped with its ``<style>``: the stylesheet colours)."""
    return Style(label_font_size=13, major_label_font_size=13)


_STYLE = _style()


def rows_of(
    labels: Sequence[str], values: Sequence[Sequence[float | None]]
) -> tuple[tuple[Cell, tuple[float | None, ...]], ...]:
    """Table rows from labels and, per label, its values."""
    return tuple((Cell(label), tuple(row)) for label, row in zip(labels, values, strict=True))
