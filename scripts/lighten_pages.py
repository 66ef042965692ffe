"""Make the rendered pages show sooner, without changing what they show (a Quarto post-render step).

Quarto 1.7.34 writes the same <head> into every page, and on a phone it makes the reader wait:
every script of the site (search, navigation, tooltips, Bootstrap: about 100 KB) sits in the
head without `defer`, so the browser fetches and runs them all before it shows any text; the
dark theme's stylesheets (Bootstrap's dark CSS, about 68 KB compressed, and the dark code
colours) are plain stylesheets, which the browser fetches before the first paint even when the
reader's system is light and Quarto's first script switches them off; the icon font's
stylesheet holds up the first paint too, and the font it names (172 KB) then competes with the
page; and the figures carry no size, so the text below each one jumps when it arrives, and the
browser fetches every figure of a long post at once. Lighthouse (mobile) scored the posts
68-84 for performance with all that (benchmarks/page_weight.py). None of it is set by an
option of Quarto 1.7.34 (the links and scripts come from its code, not from a template
partial), so this script rewrites the pages Quarto has just written. _quarto.yml runs it after
every render (`project: post-render`); running it again changes nothing:

1. Scripts in <head> get `defer`: they still run in the same order, after the page is parsed
   and before `DOMContentLoaded`, which is when Quarto's own page scripts start their work.
2. The dark stylesheets get `media="(prefers-color-scheme: dark)"`: on a dark system they
   block the first paint as before; on a light system the browser fetches them late, without
   waiting. A reader on a light system who chose dark mode (the navbar's toggle, which Quarto
   remembers) still gets it: a small script after Quarto's colour-scheme script drops that
   `media` whenever Quarto switches the dark stylesheets on.
3. The icons' stylesheet loads as `media="print"` and switches itself on when it has loaded
   (with a <noscript> copy for browsers without scripts): the icons appear a moment after
   the text instead of holding it up.
4. Every image gets its `width` and `height` from the image file, so the browser reserves its
   place (CSS still scales it to the column: `.img-fluid` sets `height: auto`); every figure
   after a page's first gets `loading="lazy"`, so it is fetched when the reader scrolls near it.

The scripts and images themselves are unchanged. Standard library only: Quarto runs this with
the `python3` on the PATH (https://quarto.org/docs/projects/scripts.html).

Usage: python scripts/lighten_pages.py [SITE_DIR]
  Rewrites every HTML page in SITE_DIR, or, without it, in the folder Quarto names in
  QUARTO_PROJECT_OUTPUT_DIR (set for post-render scripts; default _site): every page, not only
  those just rendered (a page it rewrote before is left as it is).
"""

from __future__ import annotations

import html
import os
import re
import struct
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

DARK_MEDIA = "(prefers-color-scheme: dark)"
ICONS_STYLESHEET = "bootstrap/bootstrap-icons.css"
MARK = "lighten-pages"  # the id of the script this adds: a page that has it was rewritten already
APPLY_CHOSEN_DARK_MODE = f"""<script id="{MARK}">
  // scripts/lighten_pages.py gave the dark stylesheets media="{DARK_MEDIA}" so that
  // a light system does not wait for them. When Quarto switches them on anyway (the reader
  // chose dark mode with the toggle), drop that condition so that they apply.
  (() => {{
    const applyDarkSheetsThatAreOn = () => {{
      for (const sheet of document.querySelectorAll("link.quarto-color-alternate[media]")) {{
        if (sheet.rel === "stylesheet") sheet.removeAttribute("media");
      }}
    }};
    applyDarkSheetsThatAreOn();
    const toggleColorScheme = window.quartoToggleColorScheme;
    if (toggleColorScheme) {{
      window.quartoToggleColorScheme = () => {{
        applyDarkSheetsThatAreOn();  // before the toggle too: Quarto may switch them on
        toggleColorScheme();
        applyDarkSheetsThatAreOn();
      }};
    }}
  }})();
</script>"""

HEAD = re.compile(r"<head>.*?</head>", re.DOTALL)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>")
LINK_TAG = re.compile(r"<link\b[^>]*>")
IMG_TAG = re.compile(r"<img\b[^>]*>")
BEFORE_BODY_SCRIPT = re.compile(r'<script id="quarto-html-before-body"[^>]*>.*?</script>', re.DOTALL)


def attribute(tag: str, name: str) -> str | None:
    """The value of one attribute of an HTML start tag, or None when the tag lacks it."""
    match = re.search(rf'\s{name}(?:="([^"]*)"|\s|>|/)', tag)
    if match is None:
        return None
    return html.unescape(match.group(1) or "")


def with_attributes(tag: str, **values: str) -> str:
    """The start tag with attributes added before its closing `>` (names: _ becomes -)."""
    added = "".join(f' {name.replace("_", "-")}="{html.escape(value)}"' for name, value in values.items())
    end = -2 if tag.endswith("/>") else -1
    return tag[:end].rstrip() + added + tag[end:]


def defer_head_scripts(head: str) -> str:
    """Add `defer` to every classic script in <head> that loads a file (not modules, not inline)."""
    def defer(match: re.Match) -> str:
        tag = match.group(0)
        if attribute(tag, "src") is None or attribute(tag, "type") not in (None, "text/javascript"):
            return tag
        if attribute(tag, "defer") is not None or attribute(tag, "async") is not None:
            return tag
        return tag[:-1] + " defer>"
    return SCRIPT_TAG.sub(defer, head)


def dark_sheets_wait_for_dark(head: str) -> str:
    """Give Quarto's dark stylesheets (class quarto-color-alternate) a dark-system media query."""
    def wait(match: re.Match) -> str:
        tag = match.group(0)
        classes = (attribute(tag, "class") or "").split()
        if "quarto-color-alternate" not in classes or attribute(tag, "media") is not None:
            return tag
        return with_attributes(tag, media=DARK_MEDIA)
    return LINK_TAG.sub(wait, head)


def icons_load_after_the_text(head: str) -> str:
    """Fetch Bootstrap's icon font stylesheet without making the first paint wait for it."""
    def load_later(match: re.Match) -> str:
        tag = match.group(0)
        source = attribute(tag, "href") or ""
        if not source.endswith(ICONS_STYLESHEET) or attribute(tag, "media") is not None:
            return tag
        return (with_attributes(tag, media="print", onload="this.media='all'")
                + f"<noscript>{tag}</noscript>")
    return LINK_TAG.sub(load_later, head)


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels of a PNG or JPEG file, or None for other files and unreadable ones."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if data[:2] != b"\xff\xd8":
        return None
    position = 2
    while position + 9 < len(data):  # JPEG: walk the segments to the frame header (SOFn)
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5:position + 9])
            return width, height
        position += 2 + length
    return None


def size_images(page_html: str, page_path: Path, site_dir: Path) -> str:
    """Add width/height (from the file) to every local image, and loading="lazy" to every figure after
    the first one."""
    figures_seen = 0

    def size(match: re.Match) -> str:
        nonlocal figures_seen
        tag = match.group(0)
        source = attribute(tag, "src")
        if source is None or urlsplit(source).scheme or source.startswith("//"):
            return tag  # data: URIs and other hosts
        added = {}
        if attribute(tag, "width") is None and attribute(tag, "height") is None:
            file = (page_path.parent / unquote(urlsplit(source).path)).resolve()
            if site_dir.resolve() in file.parents:
                dimensions = image_size(file)
                if dimensions is not None:
                    added.update(width=str(dimensions[0]), height=str(dimensions[1]))
        if "img-fluid" in (attribute(tag, "class") or "").split():
            figures_seen += 1
            if figures_seen > 1 and attribute(tag, "loading") is None:
                added["loading"] = "lazy"
        return with_attributes(tag, **added) if added else tag

    return IMG_TAG.sub(size, page_html)


def lighten(page_html: str, page_path: Path, site_dir: Path) -> str:
    """The page with 1-4 of the module docstring applied; unchanged when it was rewritten already."""
    if f'id="{MARK}"' in page_html:
        return page_html
    head = HEAD.search(page_html)
    if head is None:
        return page_html
    new_head = icons_load_after_the_text(dark_sheets_wait_for_dark(defer_head_scripts(head.group(0))))
    page_html = page_html[:head.start()] + new_head + page_html[head.end():]
    before_body = BEFORE_BODY_SCRIPT.search(page_html)
    if before_body is not None and DARK_MEDIA in new_head:
        page_html = page_html[:before_body.end()] + "\n" + APPLY_CHOSEN_DARK_MODE + page_html[before_body.end():]
    return size_images(page_html, page_path, site_dir)


def site_folder(argv: list[str]) -> Path:
    """The rendered site to rewrite: SITE_DIR, or the folder Quarto rendered into (see Usage)."""
    if argv:
        return Path(argv[0])
    return Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_site"))


def main(argv: list[str]) -> None:
    site_dir = site_folder(argv)
    if not site_dir.is_dir():
        sys.exit(f"lighten_pages.py: no rendered site in {site_dir}")
    pages = sorted(site_dir.rglob("*.html"))
    changed = 0
    for page in pages:
        original = page.read_text(encoding="utf-8")
        rewritten = lighten(original, page, site_dir)
        if rewritten != original:
            page.write_text(rewritten, encoding="utf-8")
            changed += 1
    print(f"lighten_pages.py: {changed} of {len(pages)} pages rewritten in {site_dir}")


if __name__ == "__main__":
    main(sys.argv[1:])
