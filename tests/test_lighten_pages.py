"""What makes the pages show sooner on a phone: the post-render step scripts/lighten_pages.py and
the Lua filter _extensions/site-pages/image-sizes.lua (figures' sizes and lazy loading).

These tests run the script on a small page shaped like Quarto's (no Quarto needed) and the filter
through pandoc; tests/test_rendered_site.py checks the real rendered site in Chromium (the dark
mode a reader chooses, the icons, the sized figures, no errors), and benchmarks/page_weight.py
measures what they gain.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from PIL import Image

from helpers import ROOT, find_pandoc, load_script, quarto_config

SCRIPT = ROOT / "scripts" / "lighten_pages.py"
IMAGE_FILTER = ROOT / "_extensions" / "site-pages" / "image-sizes.lua"
lighten_pages = load_script("lighten_pages")

# The <head> of a post as Quarto writes it (the tags this step rewrites, shortened), and its body.
PAGE = """<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en"><head>
<meta charset="utf-8">
<meta name="generator" content="quarto-QUARTO_VERSION">
<script src="../site_libs/quarto-nav/quarto-nav.js"></script>
<script src="../site_libs/quarto-nav/headroom.min.js"></script>
<script src="../site_libs/clipboard/clipboard.min.js"></script>
<script src="../site_libs/quarto-html/quarto.js" type="module"></script>
<script src="../site_libs/quarto-html/tabsets/tabsets.js" type="module"></script>
<script src="../site_libs/quarto-html/popper.min.js"></script>
<link href="../site_libs/quarto-html/quarto-syntax-highlighting-e1a5.css" rel="stylesheet" class="quarto-color-scheme" id="quarto-text-highlighting-styles">
<link href="../site_libs/quarto-html/quarto-syntax-highlighting-dark-8ef5.css" rel="stylesheet" class="quarto-color-scheme quarto-color-alternate" id="quarto-text-highlighting-styles">
<script src="../site_libs/bootstrap/bootstrap.min.js"></script>
<link href="../site_libs/bootstrap/bootstrap-icons.css" rel="stylesheet">
<link href="../site_libs/bootstrap/bootstrap-fe7a.min.css" rel="stylesheet" append-hash="true" class="quarto-color-scheme" id="quarto-bootstrap" data-mode="light">
<link href="../site_libs/bootstrap/bootstrap-dark-5b0e.min.css" rel="stylesheet" append-hash="true" class="quarto-color-scheme quarto-color-alternate" id="quarto-bootstrap" data-mode="dark">
<script id="quarto-search-options" type="application/json">{"limit": 50}</script>
<script>window.inlineInTheHead = true;</script>
</head>
<body class="nav-sidebar floating nav-fixed"><script id="quarto-html-before-body" type="application/javascript">
    window.quartoToggleColorScheme = () => {};
  </script>
<main>
<p><img src="page_files/figure-html/cell-2-output-1.png" class="img-fluid figure-img" width="320" height="200"></p>
<script src="widget.js"></script>
<div class="cdc"></div>
<script type="module" src="widget/classifier.js"></script>
<script type="module">window.inlineModule = true;</script>
</main>
</body></html>
""".replace("QUARTO_VERSION", (ROOT / ".quarto-version").read_text(encoding="utf-8").strip())  # noqa: E501 (Quarto's tags)


def _tag(page_html: str, fragment: str) -> str:
    """The one start tag that contains `fragment`."""
    tags = [tag for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", page_html) if fragment in tag]
    assert len(tags) == 1, f"{len(tags)} tags contain {fragment!r}: {tags}"
    return tags[0]


# --- scripts/lighten_pages.py -------------------------------------------------------------------

def test_head_scripts_that_load_a_file_are_deferred_and_nothing_else():
    page = lighten_pages.lighten(PAGE)
    for script in ("quarto-nav.js", "headroom.min.js", "clipboard.min.js", "popper.min.js", "bootstrap.min.js"):
        assert _tag(page, script).endswith(" defer>"), script
    assert "defer" not in _tag(page, "quarto.js"), "a module is deferred already"
    assert "defer" not in _tag(page, "widget.js"), "scripts in the body keep their place"
    assert '<script id="quarto-search-options" type="application/json">' in page
    assert "<script>window.inlineInTheHead = true;</script>" in page


def test_module_scripts_in_the_body_run_when_loaded_without_holding_up_the_page():
    """A widget's module (post 07's classifier) is async: DOMContentLoaded, when Quarto's scripts
    lay the page out, no longer waits for it and the modules it imports."""
    page = lighten_pages.lighten(PAGE)
    assert _tag(page, "widget/classifier.js") == '<script type="module" src="widget/classifier.js" async>'
    assert "async" not in _tag(page, "quarto.js"), "Quarto's modules in the head keep their order"
    assert "async" not in _tag(page, "widget.js"), "a classic script in the body keeps its place"
    assert '<script type="module">window.inlineModule = true;</script>' in page


def test_dark_stylesheets_wait_for_a_dark_system_and_light_ones_do_not():
    page = lighten_pages.lighten(PAGE)
    for dark in ("bootstrap-dark-", "quarto-syntax-highlighting-dark-"):
        assert 'media="(prefers-color-scheme: dark)"' in _tag(page, dark)
    for light in ("bootstrap-fe7a", "quarto-syntax-highlighting-e1a5"):
        assert "media=" not in _tag(page, light)


def test_the_chosen_dark_mode_script_follows_quartos_colour_scheme_script():
    page = lighten_pages.lighten(PAGE)
    before_body = page.index('id="quarto-html-before-body"')
    ours = page.index(f'id="{lighten_pages.MARK}"')
    first_content = page.index("<main>")
    assert before_body < ours < first_content, "it must run after Quarto's script and before any content"


def test_icons_load_without_blocking_the_first_paint_and_without_scripts_too():
    page = lighten_pages.lighten(PAGE)
    icons = [tag for tag in re.findall(r"<link\b[^>]*>", page) if "bootstrap-icons.css" in tag]
    assert len(icons) == 2, icons
    assert 'media="print"' in icons[0] and "onload=" in icons[0]
    assert f"<noscript>{icons[1]}</noscript>" in page and "media" not in icons[1]


def test_a_second_run_changes_nothing():
    once = lighten_pages.lighten(PAGE)
    assert once != PAGE
    assert lighten_pages.lighten(once) == once


@pytest.mark.parametrize("removed, named", [
    (r'<link href="[^"]*-dark-[^"]*"[^>]*>', "no dark stylesheets"),
    (r'<link href="[^"]*bootstrap-icons\.css"[^>]*>', "no the icons' stylesheet"),
    (r'<script src="[^"]*"(?! type="module")>', "no head scripts that load a file"),
    (r'<script id="quarto-html-before-body".*?</script>', "no Quarto's colour-scheme script"),
])
def test_a_page_unlike_quartos_is_an_error_naming_what_is_missing(removed, named):
    changed = re.sub(removed, "", PAGE, flags=re.DOTALL)
    assert changed != PAGE
    with pytest.raises(lighten_pages.UnexpectedMarkup, match=re.escape(named)):
        lighten_pages.lighten(changed)


def _run(site, **environment):
    return subprocess.run([sys.executable, str(SCRIPT), *([] if environment else [str(site)])],
                          env={**os.environ, **environment}, cwd=site, capture_output=True, text=True)


def test_quarto_runs_it_after_every_render_on_the_folder_it_rendered(tmp_path):
    """As Quarto runs it: python3 on the PATH, the output folder in the environment. HTML files
    that Quarto did not write (the classifier's fragment, copied as a resource) are left alone."""
    assert quarto_config()["project"]["post-render"] == "scripts/lighten_pages.py"
    (tmp_path / "posts" / "widget").mkdir(parents=True)
    page = tmp_path / "posts" / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    fragment = tmp_path / "posts" / "widget" / "widget.html"
    fragment.write_text('<div class="cdc"><script src="classifier.js"></script></div>\n', encoding="utf-8")
    result = _run(tmp_path, QUARTO_PROJECT_OUTPUT_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "1 of 1 Quarto pages rewritten" in result.stdout
    assert page.read_text(encoding="utf-8") == lighten_pages.lighten(PAGE)
    assert fragment.read_text(encoding="utf-8") == '<div class="cdc"><script src="classifier.js"></script></div>\n'


def test_the_build_fails_loudly_and_rewrites_nothing_when_a_page_is_unexpected(tmp_path):
    """Another Quarto's markup must fail the render (exit status 1, each page and what it lacks),
    not leave the pages slow without a word."""
    good, odd = tmp_path / "good.html", tmp_path / "odd.html"
    good.write_text(PAGE, encoding="utf-8")
    odd.write_text(PAGE.replace("bootstrap-icons.css", "icons.css"), encoding="utf-8")
    result = _run(tmp_path)
    assert result.returncode == 1
    assert f"{odd}: no the icons' stylesheet" in result.stderr and "good.html" not in result.stderr
    assert ".quarto-version" in result.stderr
    assert good.read_text(encoding="utf-8") == PAGE, "nothing is rewritten when any page is unexpected"


# --- _extensions/site-pages/image-sizes.lua -----------------------------------------------------

@pytest.fixture(scope="module")
def pandoc():
    found = find_pandoc()
    if not found:
        if os.environ.get("CI"):
            pytest.fail("pandoc is not installed (pip install -r requirements.txt: pypandoc-binary)")
        pytest.skip("pandoc is not installed (pip install pypandoc-binary)")
    return found


def _with_image_filter(pandoc, tmp_path, markdown: str) -> str:
    """The HTML pandoc writes for `markdown` (a page posts/page.md of a project in tmp_path)."""
    stub = tmp_path / "with-quarto-stub.lua"
    stub.write_text(
        f'quarto = {{ doc = {{ input_file = [==[{tmp_path / "posts" / "page.md"}]==] }},\n'
        f'           project = {{ directory = [==[{tmp_path}]==] }} }}\n'
        f"return dofile([==[{IMAGE_FILTER}]==])\n", encoding="utf-8")
    result = subprocess.run([pandoc, "--from", "markdown", "--to", "html5", "--wrap=none", "--lua-filter", str(stub)],
                            input=markdown, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_images_get_their_file_size_and_images_after_the_first_are_lazy(pandoc, tmp_path):
    figures = tmp_path / "posts" / "page_files"
    figures.mkdir(parents=True)
    Image.new("RGB", (320, 200), "orange").save(figures / "first.png")
    jpeg = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "A camera maker"  # an EXIF segment before the frame header, as cameras write
    Image.new("RGB", (640, 480), "teal").save(jpeg, format="JPEG", progressive=True, exif=exif.tobytes())
    (figures / "second%20one.jpeg").write_bytes(jpeg.getvalue())
    (tmp_path / "images").mkdir()
    Image.new("RGB", (1200, 630), "white").save(tmp_path / "images" / "cover.png")
    page = _with_image_filter(pandoc, tmp_path, "\n\n".join([
        "[![A remote badge](https://example.org/badge.svg)](https://example.org)",
        "![The first figure](page_files/first.png)",
        "![The second figure](page_files/second%2520one.jpeg)",
        "![From the root](/images/cover.png)",
        "![Inline](data:image/png;base64,AAAA)",
        "![Not there](page_files/missing.png)",
        "![Sized already](page_files/first.png){width=50%}",
    ]))
    first, second = _tag(page, "The first figure"), _tag(page, "The second figure")
    assert 'width="320" height="200"' in first and "loading" not in first
    assert 'width="640" height="480"' in second and 'loading="lazy"' in second
    assert 'width="1200" height="630"' in _tag(page, "cover.png")
    badge = _tag(page, "example.org/badge.svg")
    assert "width" not in badge and "loading" not in badge, "an image from another host is left as it is"
    assert _tag(page, "data:image") == '<img src="data:image/png;base64,AAAA" alt="Inline" />'
    missing = _tag(page, "missing.png")
    assert "width" not in missing and 'loading="lazy"' in missing
    sized = _tag(page, "Sized already")
    assert "320" not in sized and "50.0%" in sized, "a size written in the page is kept"


def test_a_first_figure_below_the_first_screen_loads_lazily_too(pandoc, tmp_path):
    """Only a first image among the page's first blocks (the home page's cover) loads at once; a
    post's first figure, after its introduction and setup code, waits until the reader nears it."""
    figures = tmp_path / "posts" / "page_files"
    figures.mkdir(parents=True)
    Image.new("RGB", (320, 200), "orange").save(figures / "first.png")
    near_the_top = _with_image_filter(pandoc, tmp_path, "Links.\n\nThe introduction.\n\n![At the top](page_files/first.png)")
    assert "loading" not in _tag(near_the_top, "At the top")
    page = _with_image_filter(pandoc, tmp_path, "\n\n".join([
        "Links.", "The introduction.", "```python\nimport keras\n```", "More text.",
        "![Further down](page_files/first.png)",
    ]))
    assert 'loading="lazy"' in _tag(page, "Further down") and 'width="320"' in _tag(page, "Further down")
