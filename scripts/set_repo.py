"""Name the series' repository in the two places that must agree: `website: repo-url` in
_quarto.yml (the Colab badges, download links and `repo:` links of the site come from it) and
the install lines at the top of every post (`pip install git+https://github.com/OWNER/NAME`),
which Colab reads from the committed notebook.

Usage:
  python scripts/set_repo.py OWNER/NAME     rewrite both (a fork: run it once and commit)
  python scripts/set_repo.py --check        exit 1 unless every post names the repo-url of _quarto.yml

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
INSTALL_URL = re.compile(r'(git\+)(https://github\.com/[\w.-]+/[\w.-]+?)(["\s])')


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


def named_repos():
    """{path: set of repository URLs its install lines name}."""
    return {path: set(match.group(2) for match in INSTALL_URL.finditer(text)) for path, text in post_sources()}


def set_repo(url):
    with open(CONFIG) as file:
        config = file.read()
    with open(CONFIG, "w") as file:
        file.write(REPO_URL_LINE.sub(lambda match: f"{match.group(1)}{url}", config, count=1))
    for path in sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.py"))):
        with open(path) as file:
            text = file.read()
        with open(path, "w") as file:
            file.write(INSTALL_URL.sub(lambda match: f"{match.group(1)}{url}{match.group(3)}", text))
    for path in sorted(glob.glob(os.path.join(ROOT, "posts", "*.ipynb"))):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:  # the sources only: the stored outputs stay as they are
            cell.source = INSTALL_URL.sub(lambda match: f"{match.group(1)}{url}{match.group(3)}", cell.source)
        nbformat.write(notebook, path)


def main():
    if sys.argv[1:] == ["--check"]:
        url = configured_repo_url()
        wrong = {path: sorted(urls) for path, urls in named_repos().items() if urls != {url}}
        if wrong:
            sys.exit(f"These posts do not install from repo-url {url}: {wrong}. Run: make repo REPO=OWNER/NAME")
        print(f"Every post installs from {url}.")
        return
    if len(sys.argv) != 2 or not re.fullmatch(r"(https://github\.com/)?[\w.-]+/[\w.-]+", sys.argv[1]):
        sys.exit(__doc__)
    name = sys.argv[1].removeprefix("https://github.com/").removesuffix(".git")
    set_repo(f"https://github.com/{name}")
    print(f"The site and every post now name https://github.com/{name}")


if __name__ == "__main__":
    main()
