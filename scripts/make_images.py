"""Draw the site's images: images/favicon.png and images/cover.png.

Both are drawn from simple shapes with matplotlib (no photos, no downloads), so they can be
rebuilt at any time:

    .venv/bin/python scripts/make_images.py

The cover carries the home page's title and subtitle (index.qmd's front matter: one source for
both, so the cover does not keep an old count of the posts). It is 1200 x 630 pixels, the size
that link previews (Open Graph, Twitter cards) expect, stored with a palette of COVER_COLOURS
colours (it is drawn from a few flat colours, so nothing visible is lost, and the file is a
fraction of a full-colour PNG: the home page shows it); the favicon is 128 x 128.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import matplotlib
import yaml

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import patches  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

CAT = "#e07a2f"  # warm orange
DOG = "#2a7f8f"  # cool teal
INK = "#1f2430"
PAPER = "#fbf7f0"
COVER_COLOURS = 64  # palette size of cover.png


def _cat_face(ax, cx: float, cy: float, r: float, fill: str, line: str) -> None:
    """A stylised cat: round head, pointed ears, almond eyes, whiskers."""
    for side in (-1, 1):
        ear = patches.Polygon(
            [
                (cx + side * 0.25 * r, cy + 0.80 * r),
                (cx + side * 0.95 * r, cy + 0.45 * r),
                (cx + side * 0.85 * r, cy + 1.35 * r),
            ],
            closed=True,
            facecolor=fill,
            edgecolor=line,
            linewidth=3,
            joinstyle="round",
        )
        ax.add_patch(ear)
    ax.add_patch(patches.Circle((cx, cy), r, facecolor=fill, edgecolor=line, linewidth=3))
    for side in (-1, 1):
        ax.add_patch(
            patches.Ellipse((cx + side * 0.38 * r, cy + 0.18 * r), 0.30 * r, 0.18 * r,
                            facecolor=line)
        )
        ax.add_patch(
            patches.Ellipse((cx + side * 0.38 * r, cy + 0.18 * r), 0.07 * r, 0.17 * r,
                            facecolor=fill)
        )
        for k, dy in enumerate((-0.10, -0.22)):
            ax.plot(
                [cx + side * 0.22 * r, cx + side * (0.95 + 0.05 * k) * r],
                [cy - 0.15 * r, cy + (dy - 0.05) * r],
                color=line,
                linewidth=2,
                solid_capstyle="round",
            )
    ax.add_patch(
        patches.Polygon(
            [(cx - 0.10 * r, cy - 0.08 * r), (cx + 0.10 * r, cy - 0.08 * r), (cx, cy - 0.22 * r)],
            closed=True,
            facecolor=line,
        )
    )


def _dog_face(ax, cx: float, cy: float, r: float, fill: str, line: str) -> None:
    """A stylised dog: rounder head, floppy ears, big round eyes, a snout."""
    ax.add_patch(
        patches.Ellipse((cx, cy), 2.0 * r, 2.05 * r, facecolor=fill, edgecolor=line, linewidth=3)
    )
    for side in (-1, 1):
        ax.add_patch(
            patches.Ellipse(
                (cx + side * 0.98 * r, cy + 0.15 * r),
                0.55 * r,
                1.35 * r,
                angle=side * -18,
                facecolor=line,
                edgecolor=line,
                linewidth=3,
            )
        )
        ax.add_patch(patches.Circle((cx + side * 0.36 * r, cy + 0.22 * r), 0.12 * r, facecolor=line))
        ax.add_patch(
            patches.Circle((cx + side * 0.33 * r, cy + 0.26 * r), 0.04 * r, facecolor=PAPER)
        )
    ax.add_patch(
        patches.Ellipse((cx, cy - 0.38 * r), 0.95 * r, 0.65 * r, facecolor=PAPER, edgecolor=line,
                        linewidth=2.5)
    )
    ax.add_patch(patches.Ellipse((cx, cy - 0.22 * r), 0.32 * r, 0.20 * r, facecolor=line))
    ax.plot([cx, cx], [cy - 0.30 * r, cy - 0.50 * r], color=line, linewidth=2.5)
    ax.add_patch(
        patches.Arc((cx - 0.12 * r, cy - 0.50 * r), 0.24 * r, 0.16 * r, theta1=180, theta2=360,
                    color=line, linewidth=2.5)
    )
    ax.add_patch(
        patches.Arc((cx + 0.12 * r, cy - 0.50 * r), 0.24 * r, 0.16 * r, theta1=180, theta2=360,
                    color=line, linewidth=2.5)
    )


def home_page_titles() -> tuple[str, str]:
    """(title, subtitle) from the front matter of the home page, index.qmd."""
    front_matter = (ROOT / "index.qmd").read_text(encoding="utf-8").split("---\n")[1]
    fields = yaml.safe_load(front_matter)
    return fields["title"], fields["subtitle"]


def draw_cover(path: Path) -> None:
    fig = plt.figure(figsize=(12, 6.3), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 6.3)
    ax.set_axis_off()
    ax.add_patch(patches.Rectangle((0, 0), 6, 6.3, facecolor=CAT))
    ax.add_patch(patches.Rectangle((6, 0), 6, 6.3, facecolor=DOG))

    _cat_face(ax, 3.0, 3.55, 1.25, PAPER, INK)
    _dog_face(ax, 9.0, 3.55, 1.25, PAPER, INK)

    ax.add_patch(patches.Circle((6, 3.55), 0.62, facecolor=PAPER, edgecolor=INK, linewidth=3))
    ax.text(6, 3.53, "vs.", ha="center", va="center", fontsize=30, fontweight="bold", color=INK)

    ax.add_patch(patches.Rectangle((0, 0), 12, 1.25, facecolor=INK))
    title, subtitle = home_page_titles()
    ax.text(0.45, 0.78, title, ha="left", va="center", fontsize=34, fontweight="bold", color=PAPER)
    ax.text(0.47, 0.32, subtitle, ha="left", va="center", fontsize=17, color=PAPER)
    # A tiny bar chart motif: four models, rising accuracy (decorative, not data).
    for i, h in enumerate((0.35, 0.5, 0.62, 0.9)):
        ax.add_patch(patches.Rectangle((10.2 + 0.38 * i, 0.2), 0.26, h,
                                       facecolor=(CAT if i % 2 == 0 else DOG)))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, facecolor=INK)
    plt.close(fig)
    buffer.seek(0)
    Image.open(buffer).convert("RGB").quantize(colors=COVER_COLOURS).save(path, optimize=True)


def draw_favicon(path: Path) -> None:
    fig = plt.figure(figsize=(1.28, 1.28), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-1.1, 1.1)
    ax.set_ylim(-1.1, 1.1)
    ax.set_axis_off()
    # Left half: a cat ear; right half: a floppy dog ear; one shared face.
    ax.add_patch(patches.Polygon([(-0.78, 0.2), (-0.12, 0.72), (-0.72, 1.06)], closed=True,
                                 facecolor=CAT, edgecolor=INK, linewidth=2))
    ax.add_patch(patches.Ellipse((0.72, 0.28), 0.42, 0.9, angle=22, facecolor=DOG,
                                 edgecolor=INK, linewidth=2))
    head = patches.Circle((0, -0.05), 0.8, facecolor=CAT, edgecolor=INK, linewidth=2.5)
    ax.add_patch(head)
    right = patches.Rectangle((0, -1.0), 1.0, 2.0, facecolor=DOG)
    right.set_clip_path(head)
    ax.add_patch(right)
    ax.add_patch(patches.Circle((0, -0.05), 0.8, facecolor="none", edgecolor=INK, linewidth=2.5))
    for x in (-0.3, 0.3):
        ax.add_patch(patches.Circle((x, 0.1), 0.12, facecolor=PAPER, edgecolor=INK, linewidth=1.5))
        ax.add_patch(patches.Circle((x, 0.1), 0.05, facecolor=INK))
    ax.add_patch(patches.Ellipse((0, -0.3), 0.24, 0.15, facecolor=INK))
    fig.savefig(path, dpi=100, transparent=True)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "images", help="output folder")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    draw_cover(args.out / "cover.png")
    draw_favicon(args.out / "favicon.png")
    for name in ("cover.png", "favicon.png"):
        p = args.out / name
        print(f"{p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}: {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
