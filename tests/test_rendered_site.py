"""The real site: rendered by Quarto (the version in .quarto-version) and read in Chromium, as readers see it.

The site is rendered once per test run (`quarto render --output-dir` into a temporary folder, so
the developer's _site/ is left alone; nothing is executed: the posts are the stored notebooks),
served from 127.0.0.1, and every page it renders (home, About, Glossary, 404, the posts) is
opened at 360 px (a small phone) and 1280 px (a desktop window), in light and dark mode. On each:

- the page shows the colour scheme asked for: Quarto's choice and the background the reader sees;
- no console error and no uncaught error in the page;
- every file of the site the page asks for loads (no 404);
- no request to another host: the site is self-contained (fonts, scripts, maths, and the
  "Open in Colab" badge of each post, which styles.css draws: no image from Google);
- nothing is wider than the window (no sideways scrolling of the page);
- no block (code, output, table) cuts off its content, and text outputs wrap instead of
  scrolling sideways; at desktop width no code block needs to scroll either (code lines are at
  most 88 characters);
- axe-core (node_modules/axe-core, pinned in package.json) finds no serious or critical
  violation of its WCAG 2 A/AA rules (contrast, names of links, buttons and images, ...);
- every image has alt text.

And the in-browser classifier of the rendered post that has it (class="cdc") classifies real
photos of the data set (read from the photo archive in the Keras cache, or
../shared/data/cats_and_dogs.zip). And what scripts/lighten_pages.py (Quarto's post-render step)
changes works: no page's first paint waits for a script, the icons or, on a light system, the
dark stylesheets; a reader on a light system who chooses dark mode sees it; the icon font still
loads. And what the site's Lua filters and styles.css do: figures carry their file's size and
load lazily after the first, and open full size (lightbox) on a phone; a link to a section shows
its heading below the sticky header; the results table names each value's column on a phone;
copy buttons cover no code; a table wider than the column shows a shadow where more of it lies;
"Back to top" covers no link; each post's "Open in Colab" badge is a styled link (no image) that
the keyboard reaches and that shows its focus ring. And the blog's conventions: the RSS feed
lists every post, every page names its address (canonical and og:url), every post has a BibTeX
citation, the listing shows reading times.

Needs Quarto (on the PATH, or in .cache/quarto: ../shared/tools/quarto/install.sh .cache/quarto),
Debian's chromium, Playwright's Python package, `npm ci` (axe-core, and the classifier's runtime
copied into posts/widget/ort/ by `make widget`). With CI set (as .ci/run and GitHub Actions do) a
missing Quarto or Chromium fails the tests; elsewhere they are skipped, saying what is missing.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from helpers import ROOT
from tests.support.site_audit import (
    AXE_SCRIPT,
    PAGES,
    SCHEMES,
    WIDTHS,
    SiteServer,
    color_schemes,
    find_quarto,
    launch,
    measure_layout,
    open_page,
    render_site,
    run_axe,
    serious,
)
from widget_harness import CHROMIUM, choose_file, missing_runtime

# One process renders the site (or starts each engine) once for all these tests (`make test` runs
# the tests in several processes, pytest-xdist --dist loadgroup).
pytestmark = pytest.mark.xdist_group("rendered-site")

IN_CI = bool(os.environ.get("CI"))
DESKTOP_WIDTH = max(WIDTHS)
SHARED_ARCHIVE = ROOT.parent / "shared" / "data" / "cats_and_dogs.zip"
PHOTOS_PER_CLASS = 2  # photos of each class given to the in-browser classifier
CHOICE_PAGE = "posts/02-model1-cnn.html"  # a page to choose dark mode on (any page would do)
HEAD_SCRIPT = re.compile(r"<script\b[^>]*\bsrc=[^>]*>")


def _missing(what: str) -> None:
    """Fail in CI (the audit must run there), skip with the reason elsewhere."""
    if IN_CI:
        pytest.fail(f"{what} (CI is set, so the rendered-site audit cannot be skipped)")
    pytest.skip(f"{what}: the rendered-site audit is skipped outside CI")


@pytest.fixture(scope="module")
def rendered_site(tmp_path_factory):
    """The site rendered by `quarto render` into a temporary folder (pytest --durations shows how long
    rendering took: it is the setup of the first test)."""
    quarto = find_quarto()
    if quarto is None:
        _missing("Quarto is not installed (not on the PATH, not in .cache/quarto): "
                 "../shared/tools/quarto/install.sh .cache/quarto")
    if not os.access(CHROMIUM, os.X_OK):
        _missing(f"Chromium is not installed ({CHROMIUM}): apt-get install chromium")
    assert AXE_SCRIPT.is_file(), f"axe-core is missing ({AXE_SCRIPT}): run `npm ci` in {ROOT}"
    missing = missing_runtime()
    assert not missing, f"the classifier's runtime is not in posts/widget/ort/ ({missing}): run `make widget`"
    output = tmp_path_factory.mktemp("site")
    render_site(quarto, output)
    for page_name in PAGES:
        assert (output / page_name).is_file(), f"quarto render did not write {page_name}"
    return output


@pytest.fixture(scope="module")
def classifier_page(rendered_site) -> str:
    """The rendered post that holds the in-browser classifier (the widget's class="cdc")."""
    pages = [page for page in PAGES if 'class="cdc"' in (rendered_site / page).read_text(encoding="utf-8")]
    assert len(pages) == 1, f"one page should hold the classifier, found {pages}"
    return pages[0]


@pytest.fixture(scope="module")
def server(rendered_site):
    with SiteServer(rendered_site) as running:
        yield running


@pytest.fixture(scope="module")
def browser(rendered_site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


CASES = [(page, width, scheme) for page in PAGES for width in WIDTHS for scheme in SCHEMES]


@pytest.mark.parametrize("page_name, width, scheme", CASES,
                         ids=[f"{page}-{width}px-{scheme}" for page, width, scheme in CASES])
def test_page_in_the_browser(browser, server, page_name, width, scheme):
    opened = open_page(browser, server, page_name, width, scheme)
    try:
        layout = measure_layout(opened.page)
        violations = serious(run_axe(opened.page))
    finally:
        opened.close()
    problems = []
    if (opened.scheme_applied, opened.scheme_shown) != (scheme, scheme):
        problems.append(f"asked for {scheme} mode, Quarto chose {opened.scheme_applied} and the page "
                        f"shows {opened.scheme_shown}")
    if opened.console_errors:
        problems.append(f"console errors: {opened.console_errors}")
    if opened.page_errors:
        problems.append(f"errors in the page: {opened.page_errors}")
    if opened.files_that_did_not_load():
        problems.append(f"files of the site that did not load: {opened.files_that_did_not_load()}")
    if opened.outside_requests:
        problems.append(f"requests to other hosts (the site must be self-contained): {opened.outside_requests}")
    if layout["widest"]["right"] > width or layout["page_width"] > width:
        problems.append(f"wider than the {width} px window: {layout['page_width']} px; the widest element, "
                        f"{layout['widest']['element']}, reaches {layout['widest']['right']} px")
    if layout["clipped"]:
        problems.append(f"blocks that cut off their content: {layout['clipped']}")
    if layout["unwrapped_outputs"]:
        problems.append(f"text outputs that scroll sideways instead of wrapping: {layout['unwrapped_outputs']}")
    if width == DESKTOP_WIDTH and layout["scrolling_code"]:
        problems.append(f"code blocks wider than the desktop column: {layout['scrolling_code']}")
    if layout["images_without_alt"]:
        problems.append(f"images without alt text: {layout['images_without_alt']}")
    for violation in violations:
        problems.append(f"axe {violation['impact']} {violation['id']} ({violation['help']}), "
                        f"{violation['count']} element(s): {violation['nodes']}")
    assert not problems, f"{page_name} at {width} px, {scheme} mode:\n- " + "\n- ".join(problems)


def _archive() -> Path:
    """The photo archive: the Keras cache's copy (staged by make test), else ../shared/data's."""
    from catsdogs import config

    for candidate in (Path(config.archive_path()), SHARED_ARCHIVE):
        if candidate.is_file():
            return candidate
    pytest.fail(f"No photo archive for the classifier test: neither {config.archive_path()} nor "
                f"{SHARED_ARCHIVE} exists (make test stages it into the Keras cache)")


def _validation_photos() -> list[tuple[str, str, bytes]]:
    """(true class, file name, JPEG bytes) for the first photos of each class of the validation folder."""
    chosen = []
    with zipfile.ZipFile(_archive()) as archive:
        names = sorted(name for name in archive.namelist() if "/validation/" in name and name.endswith(".jpg"))
        for class_name in ("cats", "dogs"):
            of_class = [name for name in names if f"/validation/{class_name}/" in name][:PHOTOS_PER_CLASS]
            assert len(of_class) == PHOTOS_PER_CLASS, f"the archive has too few validation photos of {class_name}"
            chosen += [(class_name, Path(name).name, archive.read(name)) for name in of_class]
    return chosen


def test_classifier_of_the_rendered_post_classifies_real_photos(browser, server, rendered_site, classifier_page):
    # The widget answers with the model's labels ("cat"), in the order of its class names ("cats");
    # it reads them from the file its data-metadata names, relative to the page.
    page_html = (rendered_site / classifier_page).read_text(encoding="utf-8")
    metadata_url = re.search(r'class="cdc"[^>]*\bdata-metadata="([^"]+)"', page_html).group(1)
    metadata_file = (rendered_site / classifier_page).parent / metadata_url
    metadata = json.loads(metadata_file.read_text(encoding="utf-8"))
    label_of_class = dict(zip(metadata["class_names"], metadata["labels"]))
    opened = open_page(browser, server, classifier_page, DESKTOP_WIDTH, "light")
    try:
        opened.page.wait_for_function(
            "document.querySelector('.cdc') && document.querySelector('.cdc').dataset.state === 'idle'")
        answers = []
        for true_class, file_name, data in _validation_photos():
            result = choose_file(opened.page, file_name, "image/jpeg", data, timeout_ms=120_000)
            assert result["state"] == "done", f"{file_name}: the classifier ended in {result['state']}: {result['message']}"
            assert abs(sum(result["probabilities"]) - 1) < 1e-3, f"{file_name}: probabilities {result['probabilities']}"
            answers.append((file_name, label_of_class[true_class], result["label"]))
        errors = opened.page_errors + opened.console_errors + opened.files_that_did_not_load() + opened.outside_requests
    finally:
        opened.close()
    assert not errors, f"while classifying on {classifier_page}: {errors}"
    wrong = [answer for answer in answers if answer[1] != answer[2]]
    # The published model4 is right on far more than 3 of 4 photos it never trained on; allow one miss.
    assert len(wrong) <= 1, f"the classifier of the rendered {classifier_page} got these wrong (file, true, answer): {wrong}"



# --- What scripts/lighten_pages.py (Quarto's post-render step) changes --------------------------

def test_no_page_makes_its_first_paint_wait_for_scripts_icons_or_dark_mode(rendered_site):
    """Quarto ran the post-render step on every page: no script in <head> blocks the first paint
    (each is `defer` or a module), the dark stylesheets and the icons do not block it either on a
    light system, and a widget's module in the body (post 07's classifier) is async: Quarto's
    scripts, which lay the page out at DOMContentLoaded, do not wait for it and its imports."""
    problems, widgets = [], 0
    for page_name in PAGES:
        page_html = (rendered_site / page_name).read_text(encoding="utf-8")
        head = page_html[:page_html.index("</head>")]
        for tag in HEAD_SCRIPT.findall(page_html[len(head):]):
            if 'type="module"' in tag:
                widgets += 1
                if not re.search(r"\sasync\b", tag):
                    problems.append(f"{page_name}: a module in the body that DOMContentLoaded waits for: {tag}")
        for tag in HEAD_SCRIPT.findall(head):
            if not re.search(r"\s(defer|async)\b|type=\"module\"", tag):
                problems.append(f"{page_name}: a script that blocks the first paint: {tag}")
        for tag in re.findall(r"<link\b[^>]*>", head):
            if "quarto-color-alternate" in tag and 'media="(prefers-color-scheme: dark)"' not in tag:
                problems.append(f"{page_name}: a dark stylesheet that a light system waits for: {tag}")
            if "bootstrap-icons.css" in tag and 'media="print"' not in tag and "<noscript>" + tag not in head:
                problems.append(f"{page_name}: the icons' stylesheet blocks the first paint: {tag}")
    assert widgets, "no page has a widget's module in its body: the scan is broken"
    assert not problems, "\n".join(problems)


def test_dark_mode_chosen_on_a_light_system_is_shown(browser, server):
    """A reader whose system is light picks dark mode with the navbar's toggle: the page turns dark
    (not only Quarto's class: the background), the next page opens dark, and the toggle turns it back."""
    context = browser.new_context(viewport={"width": DESKTOP_WIDTH, "height": 900}, color_scheme="light",
                                  service_workers="block")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.base + "/")
                  else route.abort())
    page = context.new_page()
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    toggle = page.locator(".quarto-color-scheme-toggle:visible").first
    seen = []
    try:
        page.goto(server.url(CHOICE_PAGE), wait_until="networkidle")
        seen.append(("first visit", color_schemes(page)))
        toggle.click()
        page.wait_for_load_state("networkidle")
        seen.append(("after the toggle", color_schemes(page)))
        page.goto(server.url("index.html"), wait_until="networkidle")
        seen.append(("the next page", color_schemes(page)))
        toggle.click()
        page.wait_for_load_state("networkidle")
        seen.append(("toggled back", color_schemes(page)))
    finally:
        context.close()
    light, dark = ("light", "light"), ("dark", "dark")  # (Quarto's choice, what the page shows)
    assert seen == [("first visit", light), ("after the toggle", dark), ("the next page", dark),
                    ("toggled back", light)]
    assert not page_errors, page_errors


def test_icons_appear_once_the_page_has_loaded(browser, server):
    """Bootstrap's icon font (navbar, sidebar, copy buttons) still arrives: its stylesheet only
    stopped blocking the first paint."""
    opened = open_page(browser, server, CHOICE_PAGE, DESKTOP_WIDTH, "light")
    try:
        icon_font = opened.page.evaluate(
            "getComputedStyle(document.querySelector('.bi-github'), '::before').fontFamily")
        font_loaded = opened.page.evaluate(
            "[...document.fonts].some((face) => face.family.includes('bootstrap-icons') "
            "&& face.status === 'loaded')")
    finally:
        opened.close()
    assert "bootstrap-icons" in icon_font and font_loaded, (icon_font, font_loaded)


# --- Figures: sizes, lazy loading, full size on a phone -----------------------------------------

IMG_TAG = re.compile(r"<img\b[^>]*>")


def _attribute(tag: str, name: str) -> str | None:
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def test_figures_carry_their_file_size_and_all_but_the_first_load_lazily(rendered_site):
    """_extensions/site-pages/image-sizes.lua: each image of the page's own (not the listing's
    thumbnails, which Quarto writes itself) has the width and height of its file, stays responsive
    (img-fluid) and, after the page's first, loads lazily (the first too, unless it is near the
    top: test_only_images_on_the_first_screen_load_at_once)."""
    from PIL import Image

    problems, checked = [], 0
    for page_name in PAGES:
        page_html = (rendered_site / page_name).read_text(encoding="utf-8")
        main = page_html[page_html.index("<main"):page_html.index("</main>")]
        local = [tag for tag in IMG_TAG.findall(main) if not re.match(r"[a-z]+:|//", _attribute(tag, "src") or "")
                 and "thumbnail-image" not in (_attribute(tag, "class") or "")]
        for index, tag in enumerate(local):
            checked += 1
            file = (rendered_site / page_name).parent / urllib.parse.unquote(_attribute(tag, "src"))
            with Image.open(file) as image:
                size = (str(image.width), str(image.height))
            if (_attribute(tag, "width"), _attribute(tag, "height")) != size:
                problems.append(f"{page_name}: {tag} is not sized {size[0]}x{size[1]} like its file")
            if "img-fluid" not in (_attribute(tag, "class") or "").split():
                problems.append(f"{page_name}: {tag} does not scale to the column (img-fluid)")
            if index > 0 and _attribute(tag, "loading") != "lazy":
                problems.append(f"{page_name}: {tag} should load lazily")
    assert checked > len(PAGES), f"only {checked} images found: the scan is broken"
    assert not problems, "\n".join(problems)


def test_only_images_on_the_first_screen_load_at_once(browser, server):
    """On a phone (Lighthouse's mobile test), an image the reader sees on opening the page loads at
    once (lazy, the page's largest paint would wait for it), and every other loads lazily (loaded
    at once, it shares the connection with what the text waits for: post 07's first figure was a
    200 KB photo grid far below the first screen)."""
    problems, eager_seen = [], 0
    for page_name in PAGES:
        opened = open_page(browser, server, page_name, min(WIDTHS), "light")
        try:
            images = opened.page.evaluate("""() => [...document.querySelectorAll('main img')]
              .filter((img) => !img.classList.contains('thumbnail-image') && !/^[a-z]+:/.test(img.getAttribute('src') || ''))
              .map((img) => ({src: img.getAttribute('src'), lazy: img.loading === 'lazy',
                              top: img.getBoundingClientRect().top + window.scrollY, screen: window.innerHeight}))""")
        finally:
            opened.close()
        for image in images:
            on_first_screen = image["top"] < image["screen"]
            eager_seen += not image["lazy"]
            if image["lazy"] == on_first_screen:
                problems.append(f"{page_name}: {image['src']} at {image['top']:.0f} px loads "
                                f"{'lazily' if image['lazy'] else 'at once'}, but the first screen ends at "
                                f"{image['screen']} px")
    assert eager_seen, "no image loads at once: the home page's cover should"
    assert not problems, "\n".join(problems)


def test_every_figure_of_a_post_opens_full_size(rendered_site, browser, server):
    """_extensions/site-pages/full-size-links.lua: a post's figure links to its own image file, so
    a phone shows it full width (and lets the reader zoom) when tapped; the figure with the most
    pixels per column pixel is the test case in the browser."""
    problems, figures = [], []
    for page_name in (page for page in PAGES if page.startswith("posts/")):
        page_html = (rendered_site / page_name).read_text(encoding="utf-8")
        for match in re.finditer(r"(<a\b[^>]*>)?\s*(<img\b[^>]*\bfigure-img\b[^>]*>)", page_html):
            link, image = match.group(1) or "", match.group(2)
            source = _attribute(image, "src")
            if re.match(r"[a-z]+:|//", source):
                continue
            figures.append((page_name, source, int(_attribute(image, "width") or 0)))
            if _attribute(link, "href") != source or "full-size" not in (_attribute(link, "class") or ""):
                problems.append(f"{page_name}: {source} is not a link to itself ({link or 'no link'})")
    assert figures, "no figures found in the posts: the scan is broken"
    assert not problems, "\n".join(problems)
    page_name, _, _ = max(figures, key=lambda figure: figure[2])
    opened = open_page(browser, server, page_name, min(WIDTHS), "light")
    try:  # the visible figure shown smallest for its size
        source, natural_width, in_column = opened.page.evaluate("""() => [...document.querySelectorAll('a.full-size img')]
          .filter((image) => image.offsetParent !== null)
          .map((image) => [image.getAttribute('src'), Number(image.getAttribute('width')), image.clientWidth])
          .sort((a, b) => b[1] / b[2] - a[1] / a[2])[0]""")
        figure = opened.page.locator(f'a.full-size img[src="{source}"]').first
        figure.scroll_into_view_if_needed()
        with opened.page.expect_navigation(wait_until="load", timeout=10_000):
            figure.click()
        shown = opened.page.evaluate("[location.pathname, document.images.length && document.images[0].naturalWidth]")
    finally:
        opened.close()
    assert shown == [f"/{Path(page_name).parent.as_posix()}/{source}", natural_width], shown
    assert natural_width > in_column, f"{source}: {natural_width} px wide, shown {in_column:.0f} px wide in the column"


# --- Phone layout: anchors, the results table, code copy buttons --------------------------------

def test_a_link_to_a_section_shows_its_heading_below_the_header(browser, server, classifier_page):
    """The home page links to the classifier's section (#try-it): its heading must not end up
    under the sticky header."""
    problems = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800}, service_workers="block")
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.base + "/")
                      else route.abort())
        page = context.new_page()
        try:
            page.goto(server.url(classifier_page) + "#try-it", wait_until="networkidle")
            page.wait_for_timeout(500)
            heading = page.locator("#try-it h2, h2#try-it").first.bounding_box()
            header_bottom = page.evaluate("""() => Math.max(0, document.querySelector('#quarto-header')
                .getBoundingClientRect().bottom)""")
        finally:
            context.close()
        if heading["y"] < header_bottom:
            problems.append(f"{width} px: the heading's top is at {heading['y']:.0f} px, under the header (bottom "
                            f"{header_bottom:.0f} px)")
    assert not problems, problems


def test_results_table_on_a_phone_names_the_column_of_every_value(browser, server):
    opened = open_page(browser, server, "index.html", min(WIDTHS), "light")
    try:
        cells = opened.page.evaluate("""() => {
          const headers = [...document.querySelectorAll('.results-table thead th')].map((th) => th.textContent.trim());
          return [...document.querySelectorAll('.results-table tbody td')].map((td) => ({
            column: headers[td.cellIndex], text: td.textContent.trim(), visible: td.offsetHeight > 0,
            before: getComputedStyle(td, '::before').content}));
        }""")
    finally:
        opened.close()
    values = [cell for cell in cells if cell["text"]]
    assert values, "the results table has no values"
    unlabelled = [cell for cell in values if not cell["visible"]
                  or (cell["column"] != values[0]["column"] and cell["before"] != f'"{cell["column"]}: "')]
    assert not unlabelled, f"values shown without their column's name on a phone: {unlabelled}"


def test_copy_buttons_cover_no_code(browser, server):
    """The copy button of a code block sits beside the code, not over its first line."""
    problems = []
    for width in WIDTHS:
        opened = open_page(browser, server, CHOICE_PAGE, width, "light")
        try:
            overlaps = opened.page.evaluate("""() => {
              const found = [];
              for (const button of document.querySelectorAll('.code-copy-button')) {
                const box = button.getBoundingClientRect();
                if (box.width === 0) continue;
                const block = button.closest('.code-copy-outer-scaffold, div.sourceCode') || button.parentElement;
                const code = block.querySelector('pre code');
                if (!code) continue;
                const range = document.createRange();
                range.selectNodeContents(code);
                for (const rect of range.getClientRects()) {
                  const overlap = Math.min(rect.right, box.right) - Math.max(rect.left, box.left) > 0
                    && Math.min(rect.bottom, box.bottom) - Math.max(rect.top, box.top) > 0;
                  if (overlap && rect.width > 0) {
                    found.push(code.textContent.split('\\n')[0].slice(0, 40));
                    break;
                  }
                }
              }
              return found;
            }""")
        finally:
            opened.close()
        if overlaps:
            problems.append(f"{width} px: {len(overlaps)} copy buttons cover code, e.g. {overlaps[:3]}")
    assert not problems, problems


def _edge_shading(output) -> dict[str, float]:
    """How much the stylesheet's background changes a 6 px strip inside each side of a cell output's
    box (a Playwright locator): the box is captured as the page draws it and again with its background removed, and the
    mean difference of the strips' pixels (0-255) is returned per side. The content is the same in
    both, so only a shadow (or a cover that does not match the page's colour) makes them differ."""
    from io import BytesIO

    import numpy
    from PIL import Image

    shots = []
    for background in ("", "none"):
        output.evaluate("(element, background) => { element.style.background = background; }", background)
        shots.append(numpy.asarray(Image.open(BytesIO(output.screenshot())).convert("RGB"), dtype=float))
    output.evaluate("(element) => { element.style.background = ''; }")
    strip = max(1, round(6 * shots[0].shape[1] / output.evaluate("(element) => element.offsetWidth")))
    # The box's edges fall between pixels, so each side's outermost column is left out: it is
    # partly outside the box, and where the box ends in a fraction of a pixel the shadow shows
    # through a hairline that the cover leaves.
    difference = numpy.abs(shots[0] - shots[1])[:, 1:-1]
    return {"left": round(float(difference[:, :strip].mean()), 1), "right": round(float(difference[:, -strip:].mean()), 1)}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_table_wider_than_the_column_shows_a_shadow_where_more_of_it_lies(browser, server, scheme):
    """styles.css: an output box that scrolls sideways shows a grey shadow at each edge beyond
    which more of it lies, and none where it ends (on a phone a cut between two columns once hid
    post 02's last column without a sign). Checked on post 02's widest table at 360 px, scrolled to
    each end, and on the same table at desktop width, where it fits and shows no shadow."""
    shading = {}
    for width in (min(WIDTHS), DESKTOP_WIDTH):
        opened = open_page(browser, server, CHOICE_PAGE, width, scheme)
        try:
            page = opened.page
            widest = page.evaluate("""() => {
              const outputs = [...document.querySelectorAll('div.cell-output-display')];
              const tables = outputs.map((output, index) => [index, output]).filter(([, output]) => output.querySelector('table'));
              tables.sort((a, b) => b[1].querySelector('table').scrollWidth - a[1].querySelector('table').scrollWidth);
              return tables.length ? tables[0][0] : null;
            }""")
            assert widest is not None, f"{CHOICE_PAGE} has no table in a cell output"
            output = page.locator("div.cell-output-display").nth(widest)
            overflow = output.evaluate("(element) => element.scrollWidth - element.clientWidth")
            ends = ("start", "end") if width == min(WIDTHS) else ("start",)
            for end in ends:
                output.evaluate("(element, end) => { element.scrollLeft = end === 'start' ? 0 : element.scrollWidth; }", end)
                shading[(width, overflow > 0, end)] = _edge_shading(output)
        finally:
            opened.close()
    phone, desktop = min(WIDTHS), DESKTOP_WIDTH
    assert (phone, True, "start") in shading, f"post 02's widest table fits at {phone} px: {shading}"
    assert (desktop, False, "start") in shading, f"post 02's widest table overflows at {desktop} px: {shading}"
    expected = {(phone, True, "start"): {"left": False, "right": True}, (phone, True, "end"): {"left": True, "right": False},
                (desktop, False, "start"): {"left": False, "right": False}}
    shadow, none = 4, 0.5  # mean change of a strip: above `shadow` a shadow shows, below `none` nothing does
    wrong = {case: shading[case] for case, shadows in expected.items()
             if any((shading[case][edge] > shadow) != shown or none < shading[case][edge] <= shadow
                    for edge, shown in shadows.items())}
    assert not wrong, (f"shadows (mean change of a 6 px edge strip, over {shadow} = a shadow, under {none} = none) "
                       f"not as expected, as (width, overflows, scrolled to): {wrong}; all: {shading}")


@pytest.mark.parametrize("page_name", ["about.html", CHOICE_PAGE])
def test_back_to_top_covers_no_link_at_the_end_of_a_page(browser, server, page_name):
    """Quarto's "Back to top" button shows at the end of a page, fixed near the window's bottom;
    the footer's links must not lie under it."""
    problems = []
    for width in WIDTHS:
        opened = open_page(browser, server, page_name, width, "light")
        try:
            opened.page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            opened.page.wait_for_function("getComputedStyle(document.querySelector('#quarto-back-to-top')).display !== 'none'")
            covered = opened.page.evaluate("""() => {
              const button = document.querySelector('#quarto-back-to-top').getBoundingClientRect();
              return [...document.querySelectorAll('a')].filter((link) => link.offsetParent && link.id !== 'quarto-back-to-top')
                .filter((link) => {
                  const box = link.getBoundingClientRect();
                  return box.width > 0 && box.right > button.left && box.left < button.right
                    && box.bottom > button.top && box.top < button.bottom;
                }).map((link) => link.textContent.trim());
            }""")
        finally:
            opened.close()
        if covered:
            problems.append(f"{width} px: the button covers {covered}")
    assert not problems, f"{page_name}: {problems}"


def test_the_colab_badge_is_a_link_the_keyboard_reaches_and_shows_focused(browser, server):
    """Each post's "Open in Colab" badge (colab-links filter, drawn by styles.css): a link with that
    text and no image, to the post's own notebook in Colab; Tab reaches it, and focused it shows
    the theme's focus ring, in light and dark mode. (axe checks its contrast in test_page_in_the_browser.)"""
    problems = []
    for scheme in SCHEMES:
        opened = open_page(browser, server, CHOICE_PAGE, min(WIDTHS), scheme)
        try:
            page = opened.page
            badges = page.evaluate("""() => [...document.querySelectorAll('.notebook-links a')]
              .filter((a) => a.href.startsWith('https://colab.research.google.com/'))
              .map((a) => ({text: a.textContent.trim(), images: a.querySelectorAll('img, svg').length,
                            href: a.href, classes: a.className}))""")
            if len(badges) != 1 or badges[0]["text"] != "Open in Colab" or badges[0]["images"] \
                    or "colab-badge" not in badges[0]["classes"] \
                    or not badges[0]["href"].endswith("/" + CHOICE_PAGE.replace(".html", ".ipynb")):
                problems.append(f"{scheme}: not one text badge to the post's notebook: {badges}")
                continue
            focused = None
            for _ in range(40):  # skip link, navbar, ... then the badge
                page.keyboard.press("Tab")
                focused = page.evaluate("""() => {
                  const a = document.activeElement;
                  if (!a || !a.classList.contains('colab-badge')) return null;
                  const style = getComputedStyle(a);
                  return {outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                          colour: style.outlineColor, visible: a.matches(':focus-visible')};
                }""")
                if focused:
                    break
            if not focused:
                problems.append(f"{scheme}: 40 presses of Tab never reached the badge")
            elif not focused["visible"] or focused["outline"] == "none" or focused["width"] < 2:
                problems.append(f"{scheme}: the focused badge shows no focus ring: {focused}")
        finally:
            opened.close()
    assert not problems, problems


# --- Blog conventions: feed, citation, addresses, reading time, 404 -----------------------------

def _site_url() -> str:
    from helpers import quarto_config

    return str(quarto_config()["website"]["site-url"]).rstrip("/")


def test_the_rss_feed_lists_every_post(rendered_site):
    import xml.etree.ElementTree as ElementTree

    feed = ElementTree.parse(rendered_site / "index.xml").getroot()
    links = sorted(item.findtext("link") for item in feed.iter("item"))
    posts = sorted(f"{_site_url()}/{page}" for page in PAGES if page.startswith("posts/"))
    assert links == posts, f"the feed's items {links} are not the posts {posts}"
    assert all(item.findtext("description") for item in feed.iter("item")), "every item needs its description"
    home = (rendered_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="alternate" type="application/rss\+xml"[^>]*href="index\.xml"', home), (
        "the home page must announce its feed")


def test_every_page_names_its_address_once_for_search_engines_and_link_previews(rendered_site):
    """<link rel="canonical"> (canonical-url) and og:url (og-url.lua) give the same address, under
    site-url; the 404 page, served at every unknown address, has neither."""
    problems = []
    for page_name in PAGES:
        head = (rendered_site / page_name).read_text(encoding="utf-8").split("</head>")[0]
        canonical = re.findall(r'<link rel="canonical" href="([^"]*)"', head)
        og_url = re.findall(r'<meta property="og:url" content="([^"]*)"', head)
        if page_name == "404.html":
            expected = []
        else:
            expected = [f"{_site_url()}/{'' if page_name == 'index.html' else page_name}"]
        if canonical != expected or og_url != expected:
            problems.append(f"{page_name}: canonical {canonical}, og:url {og_url}, expected {expected}")
    assert not problems, "\n".join(problems)


def test_every_post_can_be_cited(rendered_site):
    """A Citation section with BibTeX at the end of each post, and Google Scholar's meta tags."""
    problems = []
    for page_name in (page for page in PAGES if page.startswith("posts/")):
        page_html = (rendered_site / page_name).read_text(encoding="utf-8")
        title = re.search(r'<meta name="citation_title" content="([^"]+)"', page_html)
        bibtex = re.search(r'<section class="quarto-appendix-contents" id="quarto-citation">.*?<pre [^>]*'
                           r'quarto-appendix-bibtex"><code class="sourceCode bibtex">(.*?)</code>', page_html, re.S)
        if not title:
            problems.append(f"{page_name}: no citation_title meta tag")
        if not bibtex or f"{_site_url()}/{page_name}" not in bibtex.group(1):
            problems.append(f"{page_name}: no BibTeX citation with the post's address")
    assert not problems, "\n".join(problems)


def test_the_bibtex_entry_is_in_readable_type(browser, server):
    """Quarto sets the entry in 0.7 of the code blocks' size (10.7 px); styles.css makes it larger."""
    opened = open_page(browser, server, CHOICE_PAGE, min(WIDTHS), "light")
    try:
        size = opened.page.evaluate("parseFloat(getComputedStyle(document.querySelector('.quarto-appendix-bibtex')).fontSize)")
    finally:
        opened.close()
    assert size >= 12, f"the BibTeX entry is set in {size:.1f} px type"


def test_the_home_page_lists_each_posts_reading_time(rendered_site):
    home = (rendered_site / "index.html").read_text(encoding="utf-8")
    times = re.findall(r'<div class="listing-reading-time">\s*([^<]+?)\s*</div>', home)
    posts = [page for page in PAGES if page.startswith("posts/")]
    assert len(times) == len(posts) and all(re.fullmatch(r"\d+ min", time) for time in times), times
