"""Drawing class activation maps (catsdogs.cam computes them): a photo with its map of evidence
over it, in one colour per class, and the colour bar that says what the colours mean. The
in-browser classifier draws its map with the same colours, opacity and scale (they reach it
through model4.json, written by catsdogs.onnx_export).
"""

from __future__ import annotations

import numpy as np

from catsdogs.cam import upsample

# One colour per class (cats, dogs) for every map of the series: the figures of post 07 and,
# through model4.json, the map the in-browser classifier draws. Purple and orange from
# ColorBrewer's PuOr scale, which readers with red-green colour blindness can tell apart.
CLASS_COLOURS = ("#5e3c99", "#e66101")
MAP_OPACITY = 0.75  # the overlay's opacity where the evidence reaches the colour scale's end
SCALE_PERCENTILE = 99  # the colour scale ends at this percentile of |evidence| over the photos


def map_scale(evidence, percentile=SCALE_PERCENTILE):
    """Where the colour scale ends: the `percentile` of |evidence| over all the maps given, so
    that one scale serves many photos (stronger values are drawn at full colour)."""
    scale = float(np.percentile(np.abs(np.asarray(evidence)), percentile))
    return scale if scale > 0 else 1.0


def hex_to_rgb(colour):
    """'#e66101' -> (0.90, 0.38, 0.00)."""
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def overlay_rgba(evidence, scale, colours=CLASS_COLOURS, opacity=MAP_OPACITY):
    """An RGBA image [h, w, 4] (values 0-1) of one map of evidence for class 1 over class 0:
    the colour of class 1 where it is positive, of class 0 where negative, more opaque the
    stronger it is (fully at ±scale, times `opacity`). Upsample the map first for display."""
    evidence = np.asarray(evidence, np.float32)
    rgba = np.zeros(evidence.shape + (4,), np.float32)
    for sign, colour in ((-1, colours[0]), (1, colours[1])):
        rgba[sign * evidence > 0, :3] = hex_to_rgb(colour)
    rgba[..., 3] = opacity * np.clip(np.abs(evidence) / scale, 0, 1)
    return rgba


def colour_scale(colours=CLASS_COLOURS, opacity=MAP_OPACITY):
    """A Matplotlib colormap for a colour bar: class 0's colour, through the paper's white, to
    class 1's, as :func:`overlay_rgba` draws them over a white background."""
    from matplotlib.colors import LinearSegmentedColormap

    ends = [tuple(1 - opacity + opacity * channel for channel in hex_to_rgb(colour)) for colour in colours]
    return LinearSegmentedColormap.from_list("evidence", [ends[0], (1, 1, 1), ends[1]])


def show_map(ax, image, evidence, scale, title=""):
    """Draw a photo (pixels 0-255, [H, W, 3]) with a map of evidence for class 1 over class 0
    ([h, w], enlarged here to the photo's size) on a Matplotlib axis."""
    image = np.asarray(image)
    ax.imshow(np.clip(image, 0, 255).astype("uint8"))
    ax.imshow(overlay_rgba(upsample(evidence, image.shape[:2]), scale))
    ax.set_title(title, fontsize=9)
    ax.axis("off")


def add_colour_bar(fig, axes, scale, class_names, label=None):
    """A colour bar below the `axes` of maps drawn by :func:`show_map`, labelled with the two
    classes (for a figure made with ``layout="constrained"``), and with `label` below it
    (default: what the colours mean)."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    mappable = ScalarMappable(Normalize(-scale, scale), colour_scale())
    bar = fig.colorbar(mappable, ax=axes, location="bottom", shrink=0.8, aspect=30)
    bar.set_ticks([-scale, 0, scale])
    bar.set_ticklabels([f"{class_names[0]} {scale:.1f}", "0", f"{class_names[1]} {scale:.1f}"])
    bar.set_label(label or f"evidence for {class_names[1]} (+) or {class_names[0]} (−), in logits")
    return bar
