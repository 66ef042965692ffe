"""The posts' cards: `report.save_figure` keeps each post's figure as its social card (og:image,
twitter:image) and its thumbnail in the home page's listing, when the series runner sets
CATS_DOGS_FIGURES_DIR. A card is 1200 x 630 pixels (what Facebook, LinkedIn and X ask for), the
whole figure scaled to fit, centred on a plain background, never cropped.

No TensorFlow: matplotlib (Agg) and Pillow only.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from PIL import Image  # noqa: E402

from catsdogs import report  # noqa: E402

FRAME = (15, 110, 100)  # the colour of the frame drawn over the whole figure (teal)


def _framed_figure(size_inches):
    """A figure whose whole area is a teal rectangle (an artist of the figure, so the trimmed figure
    is exactly the figure), with a chart on it: in the card, the teal region is the figure, and its
    shape shows whether anything was cut off."""
    fig, ax = plt.subplots(figsize=size_inches)
    fig.add_artist(Rectangle((0, 0), 1, 1, transform=fig.transFigure, color=np.array(FRAME) / 255, zorder=-1))
    ax.plot(range(10), [value ** 0.5 for value in range(10)])
    ax.set(title="Accuracy per epoch", xlabel="epoch")
    return fig


def _save(fig, folder, name, monkeypatch) -> Image.Image:
    monkeypatch.setenv("CATS_DOGS_FIGURES_DIR", str(folder))
    report.save_figure(fig, name)
    plt.close(fig)
    return Image.open(folder / name)


def _box(pixels: np.ndarray, colour) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the pixels within 12 levels of `colour`, right and bottom exclusive."""
    near = (np.abs(pixels.astype(int) - np.array(colour)).max(axis=2) <= 12)
    rows, columns = np.nonzero(near.any(axis=1))[0], np.nonzero(near.any(axis=0))[0]
    assert rows.size and columns.size, f"no pixel of colour {colour} in the card"
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


@pytest.mark.parametrize("size_inches", [(12, 4), (3, 6), (9, 6.4), (7.62, 4)],
                         ids=["wide chart", "tall", "photo grid", "the card's shape"])
def test_a_card_is_1200_by_630_with_the_whole_figure_centred(tmp_path, monkeypatch, size_inches):
    card = _save(_framed_figure(size_inches), tmp_path, "card.png", monkeypatch)
    assert card.format == "PNG" and card.size == report.CARD_SIZE == (1200, 630)
    assert card.mode == "P" and len(card.getcolors(report.CARD_COLOURS)) <= report.CARD_COLOURS, "not quantised"
    pixels = np.asarray(card.convert("RGB"))
    width, height = card.size
    margin = report.CARD_MARGIN

    # The background: the margin all round is the plain background colour, exactly.
    background = np.array(report.CARD_BACKGROUND)
    for strip in (pixels[:margin], pixels[-margin:], pixels[:, :margin], pixels[:, -margin:]):
        assert (strip == background).all(), "the card's margin is not plain background"
    content = Image.fromarray((np.abs(pixels.astype(int) - background).max(axis=2) > 0).astype(np.uint8))
    left, top, right, bottom = content.getbbox()
    assert left >= margin and top >= margin and right <= width - margin and bottom <= height - margin

    # The whole figure: the teal frame keeps the figure's shape (a crop would change it), and is
    # scaled up until it meets the margin on one axis, centred on both.
    frame_left, frame_top, frame_right, frame_bottom = _box(pixels, FRAME)
    frame_width, frame_height = frame_right - frame_left, frame_bottom - frame_top
    assert frame_width / frame_height == pytest.approx(size_inches[0] / size_inches[1], rel=0.02), (
        f"the figure's shape changed ({frame_width} x {frame_height} px for a {size_inches} inch figure): cropped?")
    room_width, room_height = width - 2 * margin, height - 2 * margin
    assert frame_width >= 0.95 * room_width or frame_height >= 0.95 * room_height, (
        f"the figure ({frame_width} x {frame_height} px) does not fill the card's {room_width} x {room_height} px")
    # (within 3 px: matplotlib rounds the trimmed figure's edges to whole pixels)
    assert abs(left - (width - right)) <= 3 and abs(top - (height - bottom)) <= 3, (
        f"not centred: content at {left}, {top} to {right}, {bottom}")


def test_a_chart_with_a_title_above_the_axes_keeps_it(tmp_path, monkeypatch):
    """A figure's title and legends reach beyond its axes: the card keeps them (the listing
    thumbnails of the run before showed "ccuracy per epoch")."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for ax, title in zip(axes, ["Accuracy per epoch", "Loss per epoch"]):
        ax.plot(range(1, 21), np.linspace(0.5, 0.9, 20), label="training")
        ax.set(title=title, xlabel="epoch", ylabel=title.split()[0].lower())
        ax.legend()
    fig.suptitle("model1: a long title, wider than the axes below it, to the edges of the figure and beyond")
    card = _save(fig, tmp_path, "chart.png", monkeypatch)
    assert card.size == (1200, 630)
    pixels = np.asarray(card.convert("RGB")).astype(int)
    ink = (np.abs(pixels - np.array(report.CARD_BACKGROUND)).max(axis=2) > 0)
    rows, columns = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    margin = report.CARD_MARGIN
    # Cropping cuts through the chart, so its ink would run up to the crop's edge; the whole
    # figure keeps its own white edge (matplotlib's pad) inside the card's margin on every side.
    left, right, top, bottom = columns[0], 1200 - 1 - columns[-1], rows[0], 630 - 1 - rows[-1]
    assert min(left, right, top, bottom) > margin, (
        f"the chart's ink reaches the card's margin ({left}, {right}, {top}, {bottom} px from the "
        f"left, right, top, bottom edge; the margin is {margin} px): cut off")
    # Scaled to fit: a 3:1 chart spans (nearly) the card's width, with background above and below.
    assert columns[-1] + 1 - columns[0] >= 0.95 * (1200 - 2 * margin) and top > 2 * margin and bottom > 2 * margin


def test_no_card_without_the_runners_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CATS_DOGS_FIGURES_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    fig = _framed_figure((6, 4))
    report.save_figure(fig, "card.png")
    plt.close(fig)
    assert not list(tmp_path.rglob("*.png")), "a plain run (or Colab) must write no card"
