"""Checks of what the stored outputs of the posts show on the site.

- The site's stylesheet wraps long lines in cell outputs (Quarto shows the outputs of a
  notebook in <div class="cell-output cell-output-stdout"><pre><code>, which do not wrap by
  default: the reader saw ~76 characters of a Keras epoch line and never its val_accuracy).
- No printed line is wider than MAX_LINE characters, so even without wrapping (in Colab, on
  GitHub, in a terminal) a line reads in one piece.
- No output publishes a path of the machine that ran the series (a home folder, a temp folder).

These read the stored notebooks only; nothing is executed.
"""

from __future__ import annotations

import re

import pytest

from helpers import POST_SLUGS, ROOT, load_notebook, load_script, post_path, quarto_config

# The longest printed line we accept, in characters. About what the post column shows in
# monospace before wrapping on a laptop screen (the column is ~800 px wide at 0.875 rem), and
# what fits a Colab output area or a GitHub notebook preview without a horizontal scrollbar.
MAX_LINE = 100

# The output containers Quarto writes for notebook outputs; each needs its <pre> and the <code>
# inside it to wrap (both carry `white-space: pre` unless told otherwise). Code shown as an output
# (`show_source`, class sourceCode) scrolls instead, like the code cells; tests/test_rendered_site.py
# checks both in the browser.
WRAPPED_SELECTORS = [
    ".cell-output pre:not(.sourceCode)",
    ".cell-output pre:not(.sourceCode) code",
    ".cell-output-stdout pre",
    ".cell-output-stdout pre code",
    ".cell-output-stderr pre",
    ".cell-output-stderr pre code",
]
WRAPPING_VALUES = {"pre-wrap", "break-spaces"}

# Paths that name the machine or the person that ran the series. Anything printed by a post
# must use paths relative to the project or to the Keras cache ($KERAS_HOME), never these.
MACHINE_PATH = re.compile(
    r"/root/|/home/|/tmp/|/Users/|/var/folders/|/private/var/|[A-Za-z]:\\\\?Users\b|[A-Za-z]:/Users\b",
)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _text(value) -> str:
    """Notebook JSON stores text as one string or as a list of lines."""
    if value is None:
        return ""
    return value if isinstance(value, str) else "".join(value)


def _outputs(slug: str):
    """(cell index, output) for every output of a post."""
    nb = load_notebook(post_path(slug))
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []) or []:
            yield index, output


def _visible_lines(text: str) -> list[str]:
    """The lines a reader sees: colours removed, and for progress bars redrawn with \\r or
    backspaces, only what is left on the line at the end."""
    text = ANSI.sub("", text)
    lines = []
    for raw in text.split("\n"):
        line = raw.rstrip("\r").rsplit("\r", 1)[-1]
        kept: list[str] = []
        for char in line:
            if char == "\b":
                if kept:
                    kept.pop()
            else:
                kept.append(char)
        lines.append("".join(kept))
    return lines


# --- the stylesheet ----------------------------------------------------------------------


def _stylesheets() -> list[str]:
    html = ((quarto_config().get("format") or {}).get("html")) or {}
    css = html.get("css") or []
    return [css] if isinstance(css, str) else list(css)


def _css_rules(text: str) -> list[tuple[list[str], dict[str, str]]]:
    """(selectors, declarations) of every innermost rule block of a stylesheet."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip().lower()] = value.replace("!important", "").strip().lower()
        names = [" ".join(s.split()) for s in selectors.split(",")]
        rules.append(([re.sub(r"^div(?=\.)", "", s) for s in names if s], declarations))
    return rules


def test_site_stylesheet_is_referenced():
    sheets = _stylesheets()
    assert sheets, "_quarto.yml: format: html: css: must name the site's stylesheet (styles.css)"
    for sheet in sheets:
        assert (ROOT / sheet).is_file(), f"_quarto.yml names the stylesheet {sheet}, which does not exist"


def test_stylesheet_wraps_long_output_lines():
    sheets = _stylesheets()
    assert sheets, "no stylesheet referenced from _quarto.yml (format: html: css:)"
    rules = []
    for sheet in sheets:
        rules += _css_rules((ROOT / sheet).read_text(encoding="utf-8"))
    wrapped = {selector for selectors, declarations in rules
               if declarations.get("white-space") in WRAPPING_VALUES for selector in selectors}
    missing = [selector for selector in WRAPPED_SELECTORS if selector not in wrapped]
    assert not missing, (
        f"{', '.join(sheets)}: no `white-space: pre-wrap` rule for {missing}; long lines in cell "
        "outputs would hide behind a horizontal scrollbar"
    )
    hidden = [(selectors, d["overflow-x"]) for selectors, d in rules
              if d.get("overflow-x") == "hidden" and set(selectors) & set(WRAPPED_SELECTORS)]
    assert not hidden, f"these rules cut cell outputs off instead of wrapping them: {hidden}"


# --- the stored outputs ------------------------------------------------------------------


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_printed_lines_fit_in_max_line(slug):
    """Every line of printed output (stdout and stderr) fits in MAX_LINE characters."""
    wide = []
    for index, output in _outputs(slug):
        if output.get("output_type") != "stream":
            continue
        for line in _visible_lines(_text(output.get("text"))):
            if len(line) > MAX_LINE:
                wide.append(f"cell {index} ({output.get('name')}, {len(line)} chars): {line[:140]}")
    assert not wide, (
        f"{slug}: {len(wide)} printed line(s) wider than {MAX_LINE} characters "
        "(print one short line per epoch instead of Keras's progress bar):\n" + "\n".join(wide[:10])
    )


def _published_texts(output: dict):
    """(kind, text) of everything an output shows on the site, except images."""
    kind = output.get("output_type")
    if kind == "stream":
        yield f"stream {output.get('name')}", _text(output.get("text"))
    elif kind in ("execute_result", "display_data"):
        for mime, value in (output.get("data") or {}).items():
            if mime.startswith("image/"):
                continue
            yield mime, value if isinstance(value, str) else _text(value) if isinstance(value, list) else str(value)
    elif kind == "error":
        yield "error", "\n".join([str(output.get("ename", "")), str(output.get("evalue", ""))]
                                 + [_text(line) for line in output.get("traceback", [])])


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_no_machine_paths_in_outputs(slug):
    found = []
    for index, output in _outputs(slug):
        for kind, text in _published_texts(output):
            for match in MACHINE_PATH.finditer(ANSI.sub("", text)):
                start = max(match.start() - 40, 0)
                context = text[start:match.end() + 60].replace("\n", " ")
                found.append(f"cell {index} ({kind}): ...{context}...")
    assert not found, (
        f"{slug}: outputs show paths of the machine that ran the series "
        "(print paths relative to $KERAS_HOME or the project instead):\n" + "\n".join(found[:10])
    )


# --- the checks above can fail -------------------------------------------------------------


def test_the_checks_catch_what_they_are_for():
    """The helpers find a wide Keras line, a home folder and a temp folder, and accept a
    wrapping stylesheet; so a passing run above means something."""
    epoch = ("63/63 ━━━━━━━━━━━━━━━━━━━━ 12s 190ms/step - accuracy: 0.6065 - loss: 0.6543 "
             "- val_accuracy: 0.7210 - val_loss: 0.5611\n")
    assert max(len(line) for line in _visible_lines("1/63 ━ 1s\r" + epoch)) > MAX_LINE
    assert _visible_lines("10%\r50%\r100%\n") == ["100%", ""]
    for path in ("/root/.keras/datasets/x.zip", "/tmp/tmpab12/model.keras", "C:\\Users\\ana\\x",
                 "/Users/ana/x", "/var/folders/xy/T/x", "/home/ana/x"):
        assert MACHINE_PATH.search(path), path
    assert not MACHINE_PATH.search("$KERAS_HOME/datasets/cats_and_dogs.zip")
    rules = _css_rules("/* c */ div.cell-output pre, .cell-output pre code { white-space: pre-wrap; }")
    assert rules == [([".cell-output pre", ".cell-output pre code"], {"white-space": "pre-wrap"})]


# --- figures are stored light -----------------------------------------------------------------
# (make series runs on the pinned stack of requirements.txt, whose ipykernel applies the runner's
# kernel start-up lines; these tests are not among the unit tests of the other stacks.)

def test_the_series_runner_stores_figures_as_jpeg(tmp_path):
    """The published posts keep their figures light: the runner's kernels show them as JPEG."""

    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()")]
    path = tmp_path / "99-figure.ipynb"
    nbformat.write(notebook, path)
    run_series = load_script("run_series")
    assert run_series.run_post(str(path), 1, 1, 0.0) is not None
    (output,) = nbformat.read(path, 4).cells[0].outputs
    assert "image/jpeg" in output["data"] and "image/png" not in output["data"], list(output["data"])


@pytest.mark.parametrize("slug", POST_SLUGS)
def test_stored_figures_are_jpeg(slug):
    kinds = {kind for _, output in _outputs(slug) for kind in output.get("data", {}) if kind.startswith("image/")}
    assert kinds <= {"image/jpeg"}, f"{slug}: figures stored as {sorted(kinds)}"
