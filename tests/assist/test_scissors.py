"""Smart Scissors follows a known edge; per-image preparation is cached."""

from __future__ import annotations

import numpy as np

from labelhub.assist.scissors import LiveWire


def square(noise_seed: int = 0) -> np.ndarray:
    """A bright square (pixels 60..139) on a dark, noisy background: edges at x = 60 / 140."""
    rng = np.random.default_rng(noise_seed)
    img = rng.normal(60, 12, (200, 220)).clip(0, 255)
    img[60:140, 60:140] += 120
    g = img.clip(0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.dstack([g, g, g]))


def test_path_follows_the_edge_between_two_anchors() -> None:
    img = square()
    wire = LiveWire()
    # anchor and cursor on the left edge; the straight line between them is on the edge too, so
    # also test a path that must turn the corner: left edge -> top edge
    path = wire.path("sq", lambda: img, (60.5, 120.5), (120.5, 60.5))
    pts = np.array(path)
    assert tuple(pts[0]) == (60.5, 120.5) and tuple(pts[-1]) == (120.5, 60.5)
    # every point lies on the square's outline (within 1.5 px of x=60 or y=60), not the diagonal
    off = np.minimum(np.abs(pts[:, 0] - 60), np.abs(pts[:, 1] - 60))
    assert off.max() <= 1.5, f"left the edge by {off.max()} px"
    steps = np.abs(np.diff(pts, axis=0)).max(axis=1)
    assert steps.max() <= 1.0, "a path is 8-connected"


def test_preparation_is_cached_per_image_and_bounded() -> None:
    img = square()
    loads: list[str] = []

    def loader(key: str):  # type: ignore[no-untyped-def]
        def load() -> np.ndarray:
            loads.append(key)
            return img

        return load

    wire = LiveWire(cache_images=1)
    for cursor in ((100.5, 60.5), (110.5, 60.5), (139.5, 100.5)):
        wire.path("a", loader("a"), (60.5, 60.5), cursor)
    assert loads == ["a"]
    wire.path("b", loader("b"), (60.5, 60.5), (100.5, 60.5))
    wire.path("a", loader("a"), (60.5, 60.5), (100.5, 60.5))
    assert loads == ["a", "b", "a"]


def test_far_cursor_grows_the_window_and_points_are_clamped() -> None:
    img = square()
    wire = LiveWire()
    path = wire.path("sq", lambda: img, (5.5, 5.5), (500.0, -40.0))  # outside the image: clamped
    assert tuple(path[-1]) == (219.5, 0.5)
    assert wire.path("sq", lambda: img, (10.2, 10.7), (10.9, 10.1)) == [(10.5, 10.5)]
