"""scripts/lighten_pages.py, the post-render step that makes the pages show sooner on a phone.

These tests run the script on a small page shaped like Quarto's (no Quarto needed);
tests/test_rendered_site.py checks the real rendered site in Chromium (the dark mode a reader
chooses, the icons, no errors), and benchmarks/page_weight.py measures what it gains.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from PIL import Image

from helpers import ROOT, load_script, quarto_config

SCRIPT = ROOT / "scripts" / "lighten_pages.py"
lighten_pages = load_script("lighten_pages")

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<script src="../site_libs/quarto-nav/quarto-nav.js"></script>
<script src="../site_libs/quarto-html/quarto.js" type="module"></script>
<script src="../site_libs/already.js" defer></script>
<script src="../site_libs/bootstrap/bootstrap.min.js"></script>
<link href="../site_libs/quarto-html/syntax-light.css" rel="stylesheet" class="quarto-color-scheme">
<link href="../site_libs/quarto-html/syntax-dark.css" rel="stylesheet" class="quarto-color-scheme quarto-color-alternate">
<link href="../site_libs/bootstrap/bootstrap-icons.css" rel="stylesheet">
<link href="../site_libs/bootstrap/bootstrap-light.min.css" rel="stylesheet" class="quarto-color-scheme" data-mode="light">
<link href="../site_libs/bootstrap/bootstrap-dark.min.css" rel="stylesheet" class="quarto-color-scheme quarto-color-alternate">
<script id="quarto-search-options" type="application/json">{"limit": 50}</script>
<script>window.inlineInTheHead = true;</script>
</head>
<body><script id="quarto-html-before-body" type="application/javascript">
    window.quartoToggleColorScheme = () => {};
  </script>
<main>
<p><img src="https://colab.research.google.com/assets/colab-badge.svg" class="img-fluid" alt="Open In Colab"></p>
<img src="page_files/first.png" class="img-fluid figure-img" alt="The first figure">
<img src="page_files/second.jpeg" class="img-fluid figure-img" alt="The second figure">
<img src="data:image/png;base64,AAAA" alt="Inline">
<img src="page_files/missing.png" class="img-fluid" alt="A file that is not there">
<script src="widget.js"></script>
</main>
</body></html>
"""


@pytest.fixture
def site(tmp_path):
    """A one-page site: posts/page.html (PAGE) with a 320x200 PNG and a 640x480 JPEG beside it."""
    figures = tmp_path / "posts" / "page_files"
    figures.mkdir(parents=True)
    Image.new("RGB", (320, 200), "orange").save(figures / "first.png")
    jpeg = io.BytesIO()
    Image.new("RGB", (640, 480), "teal").save(jpeg, format="JPEG", progressive=True)
    (figures / "second.jpeg").write_bytes(jpeg.getvalue())
    page = tmp_path / "posts" / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    return tmp_path


def _rewritten(site) -> str:
    page = site / "posts" / "page.html"
    return lighten_pages.lighten(page.read_text(encoding="utf-8"), page, site)


def _tag(page_html: str, fragment: str) -> str:
    """The one start tag that contains `fragment`."""
    tags = [tag for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", page_html) if fragment in tag]
    assert len(tags) == 1, f"{len(tags)} tags contain {fragment!r}: {tags}"
    return tags[0]


def test_head_scripts_that_load_a_file_are_deferred_and_nothing_else(site):
    page = _rewritten(site)
    assert _tag(page, "quarto-nav.js").endswith(" defer>")
    assert _tag(page, "bootstrap.min.js").endswith(" defer>")
    assert "defer" not in _tag(page, "quarto.js"), "a module is deferred already"
    assert _tag(page, "already.js").count("defer") == 1
    assert "defer" not in _tag(page, "widget.js"), "scripts in the body keep their place"
    assert '<script id="quarto-search-options" type="application/json">' in page
    assert "<script>window.inlineInTheHead = true;</script>" in page


def test_dark_stylesheets_wait_for_a_dark_system_and_light_ones_do_not(site):
    page = _rewritten(site)
    for dark in ("bootstrap-dark.min.css", "syntax-dark.css"):
        assert 'media="(prefers-color-scheme: dark)"' in _tag(page, dark)
    for light in ("bootstrap-light.min.css", "syntax-light.css"):
        assert "media=" not in _tag(page, light)


def test_the_chosen_dark_mode_script_follows_quartos_colour_scheme_script(site):
    page = _rewritten(site)
    before_body = page.index('id="quarto-html-before-body"')
    ours = page.index(f'id="{lighten_pages.MARK}"')
    first_content = page.index("<main>")
    assert before_body < ours < first_content, "it must run after Quarto's script and before any content"


def test_icons_load_without_blocking_the_first_paint_and_without_scripts_too(site):
    page = _rewritten(site)
    icons = [tag for tag in re.findall(r"<link\b[^>]*>", page) if "bootstrap-icons.css" in tag]
    assert len(icons) == 2, icons
    assert 'media="print"' in icons[0] and "onload=" in icons[0]
    assert f"<noscript>{icons[1]}</noscript>" in page and "media" not in icons[1]


def test_images_get_their_file_size_and_figures_after_the_first_are_lazy(site):
    page = _rewritten(site)
    first = _tag(page, "first.png")
    second = _tag(page, "second.jpeg")
    assert 'width="320" height="200"' in first and "loading" not in first
    assert 'width="640" height="480"' in second and 'loading="lazy"' in second
    badge = _tag(page, "colab-badge.svg")
    assert "width" not in badge and "loading" not in badge, "the badge (another host, first on the page)"
    assert _tag(page, "data:image") == '<img src="data:image/png;base64,AAAA" alt="Inline">'
    missing = _tag(page, "missing.png")
    assert "width" not in missing and 'loading="lazy"' in missing


def test_jpeg_size_is_read_past_other_segments(tmp_path):
    """A JPEG with an EXIF segment and a thumbnail before its frame header (as cameras write)."""
    photo = Image.new("RGB", (123, 45), "white")
    exif = Image.Exif()
    exif[0x010F] = "A camera maker"
    path = tmp_path / "photo.jpg"
    photo.save(path, exif=exif.tobytes())
    assert lighten_pages.image_size(path) == (123, 45)
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("not an image")
    assert lighten_pages.image_size(not_an_image) is None
    assert lighten_pages.image_size(tmp_path / "absent.png") is None


def test_a_second_run_changes_nothing(site):
    page = site / "posts" / "page.html"
    once = _rewritten(site)
    assert once != PAGE
    assert lighten_pages.lighten(once, page, site) == once


def test_quarto_runs_it_after_every_render_on_the_folder_it_rendered(site):
    """As Quarto runs it: python3 on the PATH, the output folder in the environment."""
    assert quarto_config()["project"]["post-render"] == "scripts/lighten_pages.py"
    page = site / "posts" / "page.html"
    environment = {**os.environ, "QUARTO_PROJECT_OUTPUT_DIR": str(site)}
    result = subprocess.run([sys.executable, str(SCRIPT)], env=environment, cwd=site,
                            capture_output=True, text=True, check=True)
    assert "1 of 1 pages rewritten" in result.stdout
    assert page.read_text(encoding="utf-8") == lighten_pages.lighten(PAGE, page, site)
