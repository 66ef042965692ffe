"""Name the series' repository, and the package version readers install, in the places that must
agree: `website: repo-url` in _quarto.yml (the Colab badges, download links and `repo:` links of
the site come from it) and the install line at the top of every post
(`pip install git+https://github.com/OWNER/NAME@vX.Y.Z`), which Colab reads from the committed
notebook. The `@vX.Y.Z` ref is the tag of the package version (catsdogs.__version__) that produced
the stored outputs, so a reader in Colab runs exactly that code; the publish workflow creates the
tag.

Usage:
  python scripts/set_repo.py OWNER/NAME     rewrite both (a fork: run it once and commit)
  python scripts/set_repo.py --version      rewrite the install lines' ref after raising __version__
  python scripts/set_repo.py --check        exit 1 unless every post installs repo-url at the package's version

The publish workflow runs it with the repository it publishes from, so the rendered site of a
fork names the fork even before the fork has committed the change.
"""

import glob
import os
import re
import sys

import nbformat

import catsdogs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, "_quarto.yml")
REPO_URL_LINE = re.compile(r"^(\s+repo-url:\s*)(\S+)\s*$", re.M)
# git+https://github.com/OWNER/NAME, optionally @REF, up to the closing quote or white space
INSTALL_URL = re.compile(r'(git\+)(https://github\.com/[\w.-]+/[\w.-]+?)(@[\w.-]+)?(["\s])')


def package_ref():
    """The git ref readers install: the tag named after the package version."""
    return f"v{catsdogs.__version__}"


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
    """{path: set of "URL@REF" its install lines name}."""
    return {path: {match.group(2) + (match.group(3) or "") for match in INSTALL_URL.finditer(text)}
            for path, text in post_sources()}


def rewrite_installs(url):
    """Point every post's install line at `url` and the package's version; outputs stay as they are."""
    def install(match):
        return f"{match.group(1)}{url}@{package_ref()}{match.group(4)}"

    for path in sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.py"))):
        with open(path) as file:
            text = file.read()
        with open(path, "w") as file:
            file.write(INSTALL_URL.sub(install, text))
    for path in sorted(glob.glob(os.path.join(ROOT, "posts", "*.ipynb"))):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:  # the sources only: the stored outputs stay as they are
            cell.source = INSTALL_URL.sub(install, cell.source)
        nbformat.write(notebook, path)


def set_repo(url):
    with open(CONFIG) as file:
        config = file.read()
    with open(CONFIG, "w") as file:
        file.write(REPO_URL_LINE.sub(lambda match: f"{match.group(1)}{url}", config, count=1))
    rewrite_installs(url)


def main():
    if sys.argv[1:] == ["--check"]:
        expected = f"{configured_repo_url()}@{package_ref()}"
        wrong = {path: sorted(installs) for path, installs in named_installs().items() if installs != {expected}}
        if wrong:
            sys.exit(f"These posts do not install {expected} (repo-url and package version): {wrong}.\n"
                     "Run: make version (or make repo REPO=OWNER/NAME)")
        print(f"Every post installs {expected}.")
        return
    if sys.argv[1:] == ["--version"]:
        rewrite_installs(configured_repo_url())
        print(f"Every post now installs {configured_repo_url()}@{package_ref()}")
        return
    if len(sys.argv) != 2 or not re.fullmatch(r"(https://github\.com/)?[\w.-]+/[\w.-]+", sys.argv[1]):
        sys.exit(__doc__)
    name = sys.argv[1].removeprefix("https://github.com/").removesuffix(".git")
    set_repo(f"https://github.com/{name}")
    print(f"The site and every post now name https://github.com/{name}@{package_ref()}")


if __name__ == "__main__":
    main()
