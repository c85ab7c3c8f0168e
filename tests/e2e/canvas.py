"""Driving the image editor's canvas with real mouse events at a known viewport."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ToScreen = Callable[[float, float], tuple[float, float]]


def view(page: Any, zoom: float, pan: float) -> ToScreen:
    """Sets the editor's viewport (zoom, pan in screen px) and returns image -> screen coordinates."""
    page.evaluate(
        "([z, p]) => { const e = window.__labelhubEditor; e.setViewport({ zoom: z, panX: p, panY: p }); e.notify(); }",
        [zoom, pan],
    )
    canvas = page.locator("main.canvas > div").first
    canvas.focus()
    box = canvas.bounding_box()
    return lambda x, y: (box["x"] + pan + zoom * x, box["y"] + pan + zoom * y)


def drag(page: Any, s: ToScreen, a: tuple[float, float], b: tuple[float, float], **up: Any) -> None:
    """Press at image point ``a``, move to ``b`` in six steps, release (``up``: e.g. ``button``)."""
    page.mouse.move(*s(*a))
    page.mouse.down()
    page.mouse.move(*s(*b), steps=6)
    page.mouse.up(**up)
