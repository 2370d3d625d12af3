"""The report's bar charts, drawn on the server by matplotlib (Agg) as SVG that can sit inline in
a page under a strict Content Security Policy: no <style>, no <script>, no style attributes (each
becomes a presentation attribute), no metadata or comments, no links out of the picture."""

from __future__ import annotations

import io
import threading
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

import matplotlib
from markupsafe import Markup
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
BLUE = "#1a4d8f"
_SETTINGS: Any = {
    "svg.fonttype": "none",  # real text: it prints sharply, can be searched and read aloud
    "svg.hashsalt": "schoolwatch",  # the same figures give the same SVG
    "text.parse_math": False,  # a platform called "$x$" is a name, not a formula
    "font.family": "sans-serif",
    "font.size": 10,
}
# rc_context changes matplotlib's global settings: one chart at a time across the server's threads.
_LOCK = threading.Lock()
_TAGS = frozenset(
    {"svg", "g", "path", "rect", "text", "tspan", "defs", "clipPath", "use", "title", "desc",
     "line", "polyline", "polygon", "circle", "ellipse"}
)  # fmt: skip


def bar_chart(
    title: str,
    rows: Sequence[tuple[str, int | None]],
    horizontal: bool = False,
    labels: Sequence[str] | None = None,
) -> Markup:
    """Bars for ``rows`` of (label, count), or ``labels`` if given; a count of None is not drawn
    and is labelled "fewer than 5" instead (the governors' version)."""
    with _LOCK, matplotlib.rc_context(_SETTINGS):
        labels = list(labels) if labels is not None else [label for label, _ in rows]
        values = [value or 0 for _, value in rows]  # a hidden count draws no bar at all
        height = max(2.2, 0.32 * len(rows) + 0.9) if horizontal else 3.0
        fig = Figure(figsize=(7.0, height))
        FigureCanvasAgg(fig)  # the Agg canvas, without pyplot's global figure manager
        ax = fig.subplots()
        positions = list(range(len(rows)))
        drawn = [i for i, (_, value) in enumerate(rows) if value is not None]
        if horizontal:
            ax.barh(drawn, [values[i] for i in drawn], color=BLUE)
            ax.set_yticks(positions, labels=labels)
            ax.invert_yaxis()
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            ax.bar(drawn, [values[i] for i in drawn], color=BLUE)
            ax.set_xticks(positions, labels=labels, rotation=45, ha="right")
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        for position, (_, value) in zip(positions, rows, strict=True):
            if value is None:
                xy = (0, position) if horizontal else (position, 0)
                ax.annotate("fewer than 5", xy, fontsize=8, color="#555555",
                            rotation=0 if horizontal else 90,
                            ha="left", va="center" if horizontal else "bottom")  # fmt: skip
        top = max([values[i] for i in drawn] + [0])
        limits = (0, 5) if top == 0 else (0, top * 1.05)  # no bar: 0 to 5, not -0.05 to 0.05
        (ax.set_xlim if horizontal else ax.set_ylim)(*limits)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_title(title, loc="left", fontsize=11)
        fig.tight_layout()
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None,
                                                 "Type": None})  # fmt: skip
    return Markup(clean_svg(out.getvalue(), title))


def clean_svg(source: str, title: str) -> str:
    """matplotlib's SVG made safe to inline under ``style-src 'self'``."""
    root = ET.fromstring(source)  # drops the XML declaration, the doctype and every comment
    for parent in list(root.iter()):
        for child in list(parent):
            tag = _local(child.tag)
            if tag not in _TAGS:  # <style>, <metadata>, <script>, <a>, <foreignObject>, …
                parent.remove(child)
    for element in root.iter():
        for name in list(element.attrib):
            value = element.attrib[name]
            local = _local(name)
            if local.lower().startswith("on") or (local == "href" and not value.startswith("#")):
                del element.attrib[name]
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                prop, _, value = declaration.partition(":")
                if prop.strip() and value.strip():
                    element.set(prop.strip(), value.strip())
    # What matplotlib's own <style> said for every element, as inherited attributes.
    root.set("stroke-linejoin", "round")
    root.set("stroke-linecap", "butt")
    root.set("role", "img")
    root.set("class", "chart")
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    label = ET.Element(f"{{{SVG_NS}}}title")
    label.text = title
    root.insert(0, label)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]
