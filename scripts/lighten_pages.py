"""Make the rendered pages show sooner, without changing what they show (a Quarto post-render step).

Quarto writes the same <head> into every page, and on a phone it makes the reader wait: every
script of the site (search, navigation, tooltips, Bootstrap: about 100 KB) sits in the head
without `defer`, so the browser fetches and runs them all before it shows any text; the dark
theme's stylesheets (about 68 KB compressed) are plain stylesheets, fetched before the first paint
even on a light system, where Quarto's first script switches them off; and the icon font's
stylesheet holds up the first paint too. Lighthouse (mobile) scored the posts 68-84 for
performance with all that (benchmarks/page_weight.py). No option of Quarto sets any of it (the
tags come from Quarto's code, not from a template partial), so this rewrites them in the pages
Quarto has just written. (Figures get their size and lazy loading earlier, from the Lua filter
_extensions/site-pages/image-sizes.lua.)

1. Scripts in <head> that load a file get `defer`: they still run in the same order, after the
   page is parsed and before `DOMContentLoaded`, which is when Quarto's own scripts start.
2. The dark stylesheets get `media="(prefers-color-scheme: dark)"`: a light system fetches them
   without waiting. A reader on a light system who chooses dark mode (the navbar's toggle) still
   gets it: a small script after Quarto's colour-scheme script drops that `media` whenever
   Quarto switches the dark stylesheets on.
3. The icons' stylesheet loads as `media="print"` and switches itself on once loaded (with a
   <noscript> copy): the icons appear a moment after the text instead of holding it up.
4. Module scripts in the page's body that load a file (the widgets of the posts' raw HTML cells,
   such as post 07's classifier) get `async`. A module script is deferred: `DOMContentLoaded`,
   when Quarto's scripts lay the page out (sidebar, header), waited for the widget's module and
   then for the modules it imports: two round trips more on a phone before the page settles.
   With `async` a widget runs as soon as its modules arrive; it sets up the element that comes
   before its script, which the parser has read by then.
   Optional: most pages have none.

It rewrites exactly the markup of the Quarto version in .quarto-version. When a page of Quarto's
(<meta name="generator" content="quarto-...">) lacks what it expects (head scripts, dark
stylesheets, the icons' stylesheet, Quarto's colour-scheme script), it changes no file and exits
with status 1, naming each page and what is missing: a Quarto upgrade must fail the build, not
quietly make the pages slow again. Running it twice changes nothing. Standard library only:
Quarto runs it with the `python3` on the PATH.

Usage: python scripts/lighten_pages.py [SITE_DIR]
  SITE_DIR defaults to the folder Quarto names in QUARTO_PROJECT_OUTPUT_DIR (default _site).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

DARK_MEDIA = "(prefers-color-scheme: dark)"
MARK = "lighten-pages"  # the id of the script this adds: a page that has it was rewritten already
APPLY_CHOSEN_DARK_MODE = f"""<script id="{MARK}">
  // scripts/lighten_pages.py gave the dark stylesheets media="{DARK_MEDIA}". When Quarto
  // switches them on anyway (the reader chose dark mode with the toggle), drop that condition.
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

QUARTO_PAGE = re.compile(r'<meta name="generator" content="quarto-')
HEAD = re.compile(r"<head>.*?</head>", re.DOTALL)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>")
LINK_TAG = re.compile(r"<link\b[^>]*>")
BEFORE_BODY_SCRIPT = re.compile(r'<script id="quarto-html-before-body"[^>]*>.*?</script>', re.DOTALL)


class UnexpectedMarkup(Exception):
    """The page is not what this Quarto version writes."""


def attribute(tag: str, name: str) -> str | None:
    """The value of one attribute of a start tag ("" for a bare attribute), or None."""
    match = re.search(rf'\s{name}(?:="([^"]*)"|(?=[\s/>]))', tag)
    return None if match is None else (match.group(1) or "")


def rewrite(pattern: re.Pattern, text: str, change) -> tuple[str, int]:
    """`text` with every tag that `change` rewrites (it returns None for the others), and how many."""
    count = 0

    def one(match: re.Match) -> str:
        nonlocal count
        new = change(match.group(0))
        count += new is not None
        return match.group(0) if new is None else new
    return pattern.sub(one, text), count


def defer(tag: str) -> str | None:
    """A classic script that loads a file, deferred (not modules, inline or deferred scripts)."""
    if attribute(tag, "src") is None or attribute(tag, "type") not in (None, "text/javascript") \
            or attribute(tag, "defer") is not None or attribute(tag, "async") is not None:
        return None
    return tag[:-1] + " defer>"


def wait_for_dark(tag: str) -> str | None:
    """Quarto's dark stylesheets (class quarto-color-alternate), for dark systems only."""
    if "quarto-color-alternate" not in (attribute(tag, "class") or "").split() or attribute(tag, "media"):
        return None
    return f'{tag[:-1]} media="{DARK_MEDIA}">'


def icons_later(tag: str) -> str | None:
    """Bootstrap's icon font stylesheet, loaded without holding up the first paint."""
    if not (attribute(tag, "href") or "").endswith("bootstrap-icons.css") or attribute(tag, "media"):
        return None
    return f"""{tag[:-1]} media="print" onload="this.media='all'"><noscript>{tag}</noscript>"""


def run_when_loaded(tag: str) -> str | None:
    """A module script that loads a file, made async (not classic, inline or async ones)."""
    if attribute(tag, "src") is None or attribute(tag, "type") != "module" or attribute(tag, "async") is not None:
        return None
    return tag[:-1] + " async>"


def lighten(page_html: str) -> str:
    """The page with 1-4 of the module docstring applied; unchanged when it was rewritten already.

    Raises UnexpectedMarkup, naming what is missing, when the page lacks any of those tags."""
    if f'id="{MARK}"' in page_html:
        return page_html
    head = HEAD.search(page_html)
    if head is None:
        raise UnexpectedMarkup("no <head>")
    new_head, scripts = rewrite(SCRIPT_TAG, head.group(0), defer)
    new_head, dark_sheets = rewrite(LINK_TAG, new_head, wait_for_dark)
    new_head, icons = rewrite(LINK_TAG, new_head, icons_later)
    body, _ = rewrite(SCRIPT_TAG, page_html[head.end():], run_when_loaded)
    page_html = page_html[:head.start()] + new_head + body
    before_body = BEFORE_BODY_SCRIPT.search(page_html)
    missing = [what for what, found in (("head scripts that load a file", scripts), ("dark stylesheets", dark_sheets),
                                        ("the icons' stylesheet", icons == 1), ("Quarto's colour-scheme script", before_body))
               if not found]
    if missing:
        raise UnexpectedMarkup("no " + ", no ".join(missing))
    return page_html[:before_body.end()] + "\n" + APPLY_CHOSEN_DARK_MODE + page_html[before_body.end():]


def main(argv: list[str]) -> int:
    site_dir = Path(argv[0]) if argv else Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_site"))
    if not site_dir.is_dir():
        print(f"lighten_pages.py: no rendered site in {site_dir}", file=sys.stderr)
        return 1
    rewritten, problems = {}, []
    pages = [page for page in sorted(site_dir.rglob("*.html")) if QUARTO_PAGE.search(page.read_text(encoding="utf-8"))]
    for page in pages:
        original = page.read_text(encoding="utf-8")
        try:
            rewritten[page] = lighten(original)
        except UnexpectedMarkup as error:
            problems.append(f"  {page}: {error}")
    if problems:
        version = Path(__file__).resolve().parents[1] / ".quarto-version"
        expected = version.read_text(encoding="utf-8").strip() if version.is_file() else "?"
        print("lighten_pages.py: these pages are not what Quarto " + expected + " (.quarto-version) writes, so "
              "nothing was rewritten:\n" + "\n".join(problems) + "\nWas the site rendered by another Quarto? "
              "Check the patterns in scripts/lighten_pages.py against its markup.", file=sys.stderr)
        return 1
    changed = [page for page, text in rewritten.items() if text != page.read_text(encoding="utf-8")]
    for page in changed:
        page.write_text(rewritten[page], encoding="utf-8")
    print(f"lighten_pages.py: {len(changed)} of {len(pages)} Quarto pages rewritten in {site_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
