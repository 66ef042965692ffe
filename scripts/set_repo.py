"""The posts' Colab install line, `git+https://github.com/OWNER/NAME@COMMIT`, and the repository
it names. This script owns the line's pattern and is the one code that rewrites it:

- `make repo REPO=OWNER/NAME` (a fork): `website: repo-url` in _quarto.yml (the Colab badges,
  download links and `repo:` links of the site come from it) and the repository of every install
  line; the commit stays;
- `make series` (scripts/run_series.py, through `rewrite_installs(commit=...)`): the commit of
  every install line, after a whole run of the series, becomes the commit the run ran at.

Usage:
  python scripts/set_repo.py OWNER/NAME     rewrite both (a fork: run it once and commit)

The publish workflow runs it with the repository it publishes from, so the rendered site of a
fork names the fork even before the fork has committed the change.
"""

import glob
import os
import re
import sys

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, "_quarto.yml")
REPO_URL_LINE = re.compile(r"^(\s+repo-url:\s*)(\S+)\s*$", re.M)
# The install line: git+https://github.com/OWNER/NAME@COMMIT (group 1 the repository, 2 the commit)
INSTALL_URL = re.compile(r"git\+(https://github\.com/[\w.-]+/[\w.-]+?)@([\w.-]+)")


def configured_repo_url():
    with open(CONFIG) as file:
        match = REPO_URL_LINE.search(file.read())
    if not match:
        sys.exit(f"No 'repo-url:' line under 'website:' in {CONFIG}")
    return match.group(2).rstrip("/")


def post_sources():
    """(path, text) of every post's text form and every cell source of the stored notebooks."""
    for path in sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.py"))):
        with open(path) as file:
            yield path, file.read()
    for path in sorted(glob.glob(os.path.join(ROOT, "posts", "*.ipynb"))):
        notebook = nbformat.read(path, as_version=4)
        yield path, "\n".join(cell.source for cell in notebook.cells)


def named_installs():
    """{path: set of (repository URL, commit) its install lines name}."""
    return {path: {match.groups() for match in INSTALL_URL.finditer(text)} for path, text in post_sources()}


def rewrite_installs(url=None, commit=None):
    """Point every post's install line at repository `url` and/or `commit` (None keeps what the line
    has). Only the sources change: the stored outputs stay as they are."""
    def install(match):
        return f"git+{url or match.group(1)}@{commit or match.group(2)}"

    for path in sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.py"))):
        with open(path) as file:
            text = file.read()
        with open(path, "w") as file:
            file.write(INSTALL_URL.sub(install, text))
    for path in sorted(glob.glob(os.path.join(ROOT, "posts", "*.ipynb"))):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            cell.source = INSTALL_URL.sub(install, cell.source)
        nbformat.write(notebook, path)


def set_repo(url):
    with open(CONFIG) as file:
        config = file.read()
    with open(CONFIG, "w") as file:
        file.write(REPO_URL_LINE.sub(lambda match: f"{match.group(1)}{url}", config, count=1))
    rewrite_installs(url=url)


def main():
    if len(sys.argv) != 2 or not re.fullmatch(r"(https://github\.com/)?[\w.-]+/[\w.-]+", sys.argv[1]):
        sys.exit(__doc__)
    name = sys.argv[1].removeprefix("https://github.com/").removesuffix(".git")
    set_repo(f"https://github.com/{name}")
    print(f"The site and every post now name https://github.com/{name}")


if __name__ == "__main__":
    main()
