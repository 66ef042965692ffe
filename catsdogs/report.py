"""What the posts show about a training run: learning curves, a summary written from the history,
the table of runs with other seeds, and comparisons between the models. It only formats and
displays: it trains nothing and writes no result (`catsdogs.results.record` does), and the
rules it applies (which epochs count, which runs to compare) come from `catsdogs.results`.

Every sentence about a result is written by code from the numbers it describes, so it is true
for the run you see. Earlier posts' numbers come from two places, and the tables say which:
this machine (the records that earlier posts kept in the Keras cache) and the series'
published run (`run/run.json` in the repository, which a fresh Colab runtime downloads).
"""

import dataclasses
import inspect
import io
import os

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

from catsdogs import config, results

# The published posts store their figures as JPEG (quality 85), not PNG: the blog serves the
# figures stored in the posts, and as PNG a grid of photos weighed up to 1 MB (post 06); as JPEG
# it is about a sixth of that, and a learning-curve chart about two thirds.
FIGURE_FORMAT = "jpeg"
JPEG_SETTINGS = {"quality": 85, "optimize": True, "progressive": True}


def show_figures_as_jpeg():
    """Have IPython (Jupyter, Colab, nbmake) display matplotlib figures as FIGURE_FORMAT; elsewhere
    (a plain Python script) do nothing. The series runner calls it in each post's kernel before
    the post runs (scripts/run_series.py); importing this module does not."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats(FIGURE_FORMAT, pil_kwargs=JPEG_SETTINGS)


def show_source(*functions):
    """Show the code of functions from this package, as the post that explains them walks through it."""
    code = "\n\n".join(inspect.getsource(function).rstrip() for function in functions)
    display(Markdown(f"```python\n{code}\n```"))


SUMMARY_WIDTH = 80  # characters per line of a printed model summary


def print_summary(model, line_length=SUMMARY_WIDTH):
    """Print `model.summary()` as plain text, the same on Keras 3 and Keras 2.

    In a notebook, Keras 3 shows the summary as a coloured table stored as HTML (hard to read in
    dark mode, and it pulls scripts from a CDN onto the blog). Given a `print_fn`, Keras 3 hands
    it the whole table as uncoloured text, and Keras 2 hands it one line at a time; both end up
    in `lines` and are printed as one plain-text output. (Keras 3's table library still sends
    an empty HTML output to the notebook; `capture_output` keeps it out.)"""
    from IPython.utils.capture import capture_output

    lines = []
    with capture_output(stdout=False, stderr=False, display=True):
        model.summary(line_length=line_length, print_fn=lambda text, *args, **kwargs: lines.append(text))
    print("\n".join(line.rstrip("\n") for line in lines))


def plot_history(histories, title, fine_tune_epoch=None, save_as=None):
    """Training (solid) and validation (dashed) accuracy and loss per epoch, one colour per model
    (`histories`: {name: results.History}).
    `save_as`: a file name under which a full run of the series also keeps the figure for the blog's home page."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for (name, history), colour in zip(histories.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"]):
        epochs = range(1, len(history.accuracy) + 1)
        for ax, metric in zip(axes, ["accuracy", "loss"]):
            ax.plot(epochs, getattr(history, metric), color=colour, marker=".", label=f"{name} training")
            ax.plot(epochs, getattr(history, f"val_{metric}"), color=colour, marker=".", linestyle="--",
                    label=f"{name} validation")
    for ax, metric in zip(axes, ["Accuracy", "Loss"]):
        if fine_tune_epoch:
            ax.axvline(fine_tune_epoch + 0.5, color="grey", linestyle=":", label="start of fine-tuning")
        ax.set(title=f"{metric} per epoch", xlabel="epoch", ylabel=metric.lower())
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend()
    fig.suptitle(title)
    save_figure(fig, save_as)
    plt.show()


# Each post's card: its social card (og:image, twitter:image: 1200 x 630 is the size Facebook,
# LinkedIn and X ask for, 1.91:1) and its thumbnail in the home page's listing. The whole figure,
# never cropped, scaled to fit inside CARD_MARGIN pixels of CARD_BACKGROUND (the light theme's
# page colour) and centred; a 256-colour PNG keeps a card of photos near 100 KB.
CARD_SIZE = (1200, 630)
CARD_MARGIN = 24
CARD_BACKGROUND = (255, 255, 255)
CARD_COLOURS = 256


def save_figure(fig, file_name):
    """Keep a copy of the figure as the post's card (social card and listing thumbnail), when the
    series runner asks for it (it sets CATS_DOGS_FIGURES_DIR); in Colab or a plain run nothing is
    written. The card is CARD_SIZE pixels: the whole figure (its margins trimmed) scaled to fit
    within CARD_MARGIN pixels of every edge, centred on CARD_BACKGROUND, in CARD_COLOURS colours."""
    from PIL import Image

    folder = config.figures_dir()
    if folder and file_name:
        os.makedirs(folder, exist_ok=True)
        width, height = CARD_SIZE
        room = (width - 2 * CARD_MARGIN, height - 2 * CARD_MARGIN)

        def draw(dpi):
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", pad_inches=0.05, facecolor="white")
            buffer.seek(0)
            return Image.open(buffer).convert("RGBA")

        # Drawn at the resolution that fills the room, so text and lines are sharp at the card's
        # size: the trimmed size is only known once drawn, so once more if it is far off, then
        # fitted exactly.
        dpi = min(room[0] / fig.get_figwidth(), room[1] / fig.get_figheight())
        drawn = draw(dpi)
        scale = min(room[0] / drawn.width, room[1] / drawn.height)
        if abs(scale - 1) > 0.02:
            drawn = draw(dpi * scale)
            scale = min(room[0] / drawn.width, room[1] / drawn.height)
        size = (max(1, min(room[0], round(drawn.width * scale))), max(1, min(room[1], round(drawn.height * scale))))
        if size != drawn.size:
            drawn = drawn.resize(size, Image.Resampling.LANCZOS)
        card = Image.new("RGB", CARD_SIZE, CARD_BACKGROUND)
        card.paste(drawn, ((width - size[0]) // 2, (height - size[1]) // 2), drawn)
        card = card.quantize(colors=CARD_COLOURS, method=Image.Quantize.FASTOCTREE)  # smaller than median cut
        palette = card.getpalette()  # octree moves white to (254, 254, 254): the background stays exact
        background = card.getpixel((0, 0))
        palette[3 * background:3 * background + 3] = CARD_BACKGROUND
        card.putpalette(palette)
        card.save(os.path.join(folder, file_name), optimize=True)


# How `summarize` puts the gap between training and validation accuracy into words: the series'
# own convention, not a law. Above OVERFITS_CLEARLY "overfits clearly", above OVERFITS "a little";
# validation ahead by more than VALIDATION_AHEAD: "Validation accuracy is the higher one".
OVERFITS_CLEARLY = 0.10
OVERFITS = 0.03
VALIDATION_AHEAD = 0.01


@dataclasses.dataclass(frozen=True)
class Summary:
    """What `summarize` found in a history (accuracies as fractions, gap and gain in fractions of
    one); a notebook displays it as the sentences of `text`."""
    name: str
    counted: int  # the epochs that count (results.counted_epochs)
    lowest: float  # lowest and highest validation accuracy of those epochs
    highest: float
    validation: float  # their mean: results.settled_accuracy
    training: float  # mean training accuracy of the same epochs
    gap: float  # training minus validation
    gain: float  # validation minus the baseline
    baseline: float
    verdict: str

    def _repr_markdown_(self):
        return self.text

    @property
    def text(self):
        low, high = f"{self.lowest:.1%}", f"{self.highest:.1%}"
        settled = f"stayed at {low}" if low == high else f"ranged from {low} to {high}"
        return (f"**{self.name}: over the last {self.counted} epoch{'s' if self.counted != 1 else ''}, "
                f"validation accuracy {settled} (mean {self.validation:.1%}).**\n\n"
                f"That is {100 * abs(self.gain):.1f} percentage points {'above' if self.gain >= 0 else 'below'} "
                f"the baseline of {self.baseline:.1%} (always answering the most frequent training label).\n\n"
                f"Training accuracy averaged {self.training:.1%} over the same epochs, "
                f"{100 * abs(self.gap):.1f} points {'above' if self.gap >= 0 else 'below'} validation. {self.verdict}")


def summarize(name, history, baseline_accuracy):
    """Where validation accuracy settled (the epochs `results.counted_epochs` counts), the gain over
    the baseline and the gap between training and validation, as a `Summary`."""
    last_validation = np.array(results.counted_epochs(history))
    last_training = np.array(results.counted_epochs(history, "accuracy"))
    gap = last_training.mean() - last_validation.mean()
    if gap > OVERFITS_CLEARLY:
        verdict = f"{name} overfits clearly: it has learned the training images far better than new ones."
    elif gap > OVERFITS:
        verdict = f"{name} overfits a little."
    elif gap >= -VALIDATION_AHEAD:
        verdict = (f"{name} does not overfit by this measure: its training accuracy, measured with "
                   "dropout (and augmentation, where the model has it) on, is at most "
                   f"{100 * OVERFITS:.0f} points above its validation accuracy.")
    else:
        verdict = ("Validation accuracy is the higher one. That is not a bug: dropout (and augmentation, where "
                   "the model has it) make training harder and are switched off for validation; and the "
                   "training figure is an average over the epoch, while the weights were still changing, "
                   "whereas validation uses the weights at the epoch's end.")
    return Summary(name=name, counted=len(last_validation), lowest=float(last_validation.min()),
                   highest=float(last_validation.max()), validation=float(last_validation.mean()),
                   training=float(last_training.mean()), gap=float(gap),
                   gain=float(last_validation.mean() - baseline_accuracy), baseline=baseline_accuracy,
                   verdict=verdict)


def seeds_table(name, seed_runs):
    """The table of a model's runs with different seeds (a `results.SeedRuns`): each run's
    validation accuracy, their mean and their spread (highest minus lowest)."""
    values = np.asarray(seed_runs.val_accuracy)
    # Two decimals: with one, the mean and the spread of the runs would not always add up from the
    # rounded runs the table shows (the comparisons take the runs themselves).
    return Markdown(
        f"| {name} | " + " | ".join(f"seed {seed}" for seed in seed_runs.seeds) + " | mean | spread (highest − lowest) |\n"
        "|---|" + "---:|" * (len(values) + 2) + "\n"
        "| validation accuracy | " + " | ".join(f"{value:.2%}" for value in values)
        + f" | {values.mean():.2%} | {100 * np.ptp(values):.2f} points |")


def variants_table(rows, seed_runs, variant_epochs):
    """Post 02's variants: a table of (description, parameters, settled accuracy, seconds), the
    first row model1's design, and for each other variant a sentence: its difference from model1's
    design against the spread between model1's seeds (`seed_runs`, trained for more epochs)."""
    table = (f"| variant | parameters | validation accuracy (mean of the last "
             f"{min(results.WINDOW, variant_epochs)} epochs) | training time |\n"
             "|---|---:|---:|---:|\n")
    table += "\n".join(f"| {description} | {parameters:,} | {accuracy:.1%} | {seconds:.0f} s |"
                       for description, parameters, accuracy, seconds in rows)
    kept = round(100 * rows[0][2], 1)  # in points, as the table shows it, so the sentences add up
    spread = np.ptp(seed_runs.val_accuracy)  # highest − lowest, as the seeds' table shows it
    sentences = []
    for description, _, accuracy, _ in rows[1:]:
        gap = round(100 * accuracy, 1) - kept
        if abs(gap) <= 100 * spread:
            reading = "within the spread between model1's seeds: no sign either way"
        else:
            reading = "more than the spread between model1's seeds"
        sentences.append(f"- {description}: {gap:+.1f} points against model1's design, {reading}.")
    return Markdown(f"{table}\n\n" + "\n".join(sentences) + "\n\n"
                    f"Each training time is one measurement on a machine that may have been doing other work: "
                    "a rough cost, not a ranking. The yardstick is the "
                    f"{100 * spread:.2f}-point spread between model1's seeds "
                    f"after {seed_runs.settings['epochs']} epochs; the variants trained for {variant_epochs}, "
                    "so it is only a rough one.")


def describe_runs(values):
    """Runs in words: "78.1% (one run)" or "78.6% (range 78.3% to 79.0%, 3 seeds)"."""
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.1%} (one run)"
    return f"{np.mean(values):.1%} (range {min(values):.1%} to {max(values):.1%}, {len(values)} seeds)"


def verdict(name, ours, other, theirs):
    """What the runs of two models (lists of settled validation accuracies) say about their difference.
    If every run of one is above every run of the other, two equally good models would do that by
    chance with the probability `results.chance_of_no_overlap` gives (0.10 for 3 runs against 3):
    a hint, not a proof, and it says nothing about how large the real difference is. If the runs
    overlap, the luck of the seeds alone could explain the difference. One run of each cannot tell."""
    difference = 100 * (np.mean(ours) - np.mean(theirs))
    if len(ours) == 1 and len(theirs) == 1:
        said = "with one run of each we cannot tell a real difference from luck"
    elif len(ours) == 1 or len(theirs) == 1:
        several, which = (theirs, other) if len(ours) == 1 else (ours, name)
        said = (f"one model has a single run, so the order of the runs says little: set the difference against "
                f"the {100 * np.ptp(several):.2f}-point spread between {which}'s {len(several)} seeds")
    elif min(ours) > max(theirs) or max(ours) < min(theirs):
        said = (f"every run of {name} is {'above' if difference > 0 else 'below'} every run of {other}; "
                f"if the two models were equally good, the runs of one would all lie above those of the other "
                f"(either way round) by chance with probability {results.chance_of_no_overlap(ours, theirs):.2f} "
                f"({len(ours)} runs against {len(theirs)})")
    else:
        said = "the runs of the two models overlap: the luck of the seeds alone could explain the difference"
    return f"{name} vs {other}: {difference:+.1f} points; {said}."


def comparison(name, this_post, model, their_runs=None):
    """One sentence on this post's model against an earlier `model`: the `verdict`, or why there is
    none (the earlier model has not run, or ran with other settings than `this_post`, a
    `results.SeedRuns` or `results.History`). `their_runs`: what `results.runs_of(model)` returns,
    if the caller has read it already."""
    ours, settings = results.runs(this_post), this_post.settings
    theirs, source, their_settings = their_runs if their_runs is not None else results.runs_of(model)
    if not theirs:
        return f"{name} vs {model}: {source}."
    if their_settings != settings:
        return (f"{name} vs {model}: no verdict: {model} was trained with {results.describe_settings(their_settings)}, "
                f"this run with {results.describe_settings(settings)}.")
    return verdict(name, ours, model, theirs)


def compare_with_earlier_models(name, this_post):
    """A table of this post's model and the earlier posts' models, and one sentence per comparison
    (`comparison`). The earlier models' numbers come from this machine where their posts ran
    here with the same settings, else from the published run; the table says which, and a model
    trained with other settings (fewer epochs, less data) gets no verdict.
    `this_post`: this post's `results.SeedRuns` (or its one `results.History`)."""
    names = list(results.MODEL_POSTS)[: list(results.MODEL_POSTS).index(name)]
    earlier = {model: results.runs_of(model) for model in names}
    rows = [f"| {model} | {describe_runs(values)} |" for model, (values, _, _) in earlier.items()]
    rows.append(f"| {name} (this post) | {describe_runs(results.runs(this_post))} |")
    sources = [f"| {model} | {source} | {results.describe_settings(their_settings) if their_settings else '–'} |"
               for model, (_, source, their_settings) in earlier.items()]
    sources.append(f"| {name} | this post | {results.describe_settings(this_post.settings)} |")
    sentences = [f"- {comparison(name, this_post, model, earlier[model])}" for model in names]
    display(Markdown(f"Validation accuracy, mean of the last {results.WINDOW} epochs of a run (of all its epochs "
                     f"if it had fewer); for a model trained with several seeds, the mean and range of its runs.\n\n"
                     "| model | validation accuracy |\n|---|---:|\n" + "\n".join(rows) + "\n\n"
                     + "\n".join(sentences) + "\n\n"
                     '::: {.callout-note collapse="true"}\n## Where these numbers come from\n\n'
                     "An earlier model's runs come from this machine where its post ran here with the same "
                     "settings, else from the published run; a model trained with other settings gets no "
                     "verdict.\n\n| model | measured in | trained with |\n|---|---|---|\n"
                     + "\n".join(sources) + "\n:::"))
