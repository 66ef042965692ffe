# ---
# title: "06 · The score on the test set"
# description: >-
#   Score the fine-tuned model4 on 200 photos no model has seen, look at every mistake, test
#   whether validation flattered us, and recap the four models of the series.
# date: 2026-11-24
# categories: [evaluation]
# image: ../run/figures/06-test-score.png
# image-alt: >-
#   Confusion matrix of model4 on the test images: true class in rows, predicted class
#   in columns.
# ---

# %% [markdown]
# Every comparison in this series, from the variants of post 02 to fine-tuning in post 05, was
# made on validation accuracy, so that number may flatter the models we kept. The test set of
# post 01, 200 photos that no model has seen, gives the honest score
# ([glossary](../glossary.qmd#validation-test)). We load the model saved by post 05,
# score it, look at every photo it gets wrong, test whether validation and test disagree by
# more than chance, and recap all four models. The next post looks inside the model: where in a
# photo it finds its evidence, and how to try it on a photo of your own.

# %% [markdown]
# ## Setup
#
# The series' package `catsdogs` (in Colab, the first lines install it at the commit that
# produced this page).

# %%
#| code-fold: true
import sys

if "google.colab" in sys.modules:  # in Colab only: the package, as the run used it
    get_ipython().run_line_magic("pip", "install -q git+https://github.com/cats-vs-dogs-tutorial/cats-vs-dogs@b93ee998f83610199495a14f7b8f63658a558c7a")
from catsdogs import data, models, report, results

# %% [markdown]
# The data of post 01 in one call: the fixed train / validation / test split, through the
# cached input pipeline.

# %%
train, validation, test, class_names = data.load_data()

# %% [markdown]
# ## The model
#
# Post 05 saved the fine-tuned model4 in the Keras cache. If it is not there (a fresh Colab
# runtime, or post 05 was not run on this machine) or cannot be loaded (saved by an incompatible
# Keras version, or damaged), we say so and train it here with post 05's recipe.

# %%
model4, model4_source = models.saved_model4_or_train(train, validation, post="post 06")
print(f"Model: {model4.name}, {model4.count_params():,} parameters, {model4_source}")

# %% [markdown]
# ## The test score
#
# We collect every test image with its true label and the model's probabilities, and score them.

# %%
import numpy as np
from IPython.display import Markdown

images, labels, probabilities = models.predict_all(model4, test)
predictions = probabilities.argmax(axis=1)
test_correct = int(np.sum(predictions == labels))
test_accuracy = test_correct / len(labels)
test_score = results.TestScore(accuracy=test_accuracy, correct=test_correct,
                               images=len(labels), model=model4_source)
results.record(results.TEST, test_score,
               shown=Markdown(f"**Test accuracy: {test_accuracy:.1%}** "
                              f"({test_correct} of {len(labels)} test images right)."))

# %% [markdown]
# ## Where does it go wrong?
#
# A *confusion matrix* counts the four possible outcomes: rows are the true class, columns the
# predicted one, so the diagonal holds the correct answers and everything else is a mistake.

# %%
#| fig-alt: "A two by two confusion matrix of the test images: rows are the true class,
#|   cats then dogs, columns the class model4 predicted; each cell shows its number of
#|   images, darker blue for more, and a colour bar on the right gives the scale. The
#|   diagonal holds the correct answers, the other two cells the mistakes; the four
#|   counts are also printed under the figure."
import matplotlib.pyplot as plt
import tensorflow as tf

confusion = tf.math.confusion_matrix(
    labels, predictions, num_classes=len(class_names)).numpy()

fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
shown = ax.imshow(confusion, cmap="Blues")
for (row, column), count in np.ndenumerate(confusion):
    ink = "white" if count > confusion.max() / 2 else "black"
    ax.text(column, row, count, ha="center", va="center", color=ink)
ax.set(xticks=range(len(class_names)), yticks=range(len(class_names)),
       xticklabels=class_names, yticklabels=class_names,
       xlabel="predicted class", ylabel="true class")
# The title sits above the whole figure: above the axes, the colour bar hid its end.
fig.suptitle(f"Confusion matrix on the {len(labels)} test images")
fig.colorbar(shown, ax=ax, label="number of images")
report.save_figure(fig, "06-test-score.png")
plt.show()
for row, true_class in enumerate(class_names):
    print(f"true {true_class}: " + ", ".join(
        f"{confusion[row, column]} answered {data.singular(answer_class)}"
        for column, answer_class in enumerate(class_names)))

# %% [markdown]
# Every mistake, with the true label, the model's answer and how sure it was (the probability
# it gave its answer). The line under the figure compares the mean confidence on mistakes with
# that on correct answers.

# %%
#| fig-alt: "Every misclassified test photo in a grid, each titled with its true class,
#|   the class model4 answered and the probability it gave that answer."
mistakes = np.flatnonzero(predictions != labels)
if len(mistakes) == 0:
    print("No mistakes: model4 classifies every test image correctly.")
else:
    columns = 4
    rows = -(-len(mistakes) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(2.4 * columns, 2.7 * rows + 0.4),
                             squeeze=False, layout="constrained")
    for ax in axes.flat:
        ax.axis("off")
    for ax, index in zip(axes.flat, mistakes):
        true, answer = labels[index], predictions[index]
        ax.imshow(images[index].astype("uint8"))
        ax.set_title(f"true: {data.singular(class_names[true])}\n"
                     f"answer: {data.singular(class_names[answer])} "
                     f"({probabilities[index, answer]:.0%})", fontsize=9)
    fig.suptitle(f"The {len(mistakes)} misclassified test images")
    plt.show()
confidence = probabilities.max(axis=1)
print(f"Mean confidence: {confidence[predictions == labels].mean():.1%} on correct "
      "answers" + (f", {confidence[mistakes].mean():.1%} on mistakes;\n"
         f"{np.sum(confidence[mistakes] >= 0.95)} of the {len(mistakes)} mistakes were "
         "made with a confidence of 95% or more." if len(mistakes) else "."))

# %% [markdown]
# Look at the photos: which mistakes would a person make too (a blurred photo, an animal
# half hidden, a cat and a dog in one photo), and which look easy? Where some mistakes were made
# with 95% or more, a high probability does not guarantee a right answer. Post 07 draws, for
# each of these photos, where in it model4 found its evidence.

# %% [markdown]
# ## How much does one test score tell?
#
# 200 images is not many: every mistake costs half a percentage point. A 95% confidence interval
# (here the [Wilson score interval](https://en.wikipedia.org/wiki/Binomial_proportion_confidence_interval#Wilson_score_interval))
# gives the range of accuracies on *all* photos like these that this measurement does not rule
# out: computed this way from many test sets, such intervals contain the true accuracy about 95%
# of the time ([glossary](../glossary.qmd#wilson)). The formula, from the package's `stats`
# module, which also holds the tests of post 05 and of the next section:

# %%
from catsdogs import stats

report.show_source(stats.wilson_interval)

# %%
low, high = stats.wilson_interval(test_correct, len(labels))
print(f"Test accuracy {test_accuracy:.1%} on {len(labels)} images;\n"
      f"95% confidence interval {low:.1%} to {high:.1%}.")
for accuracy in (0.96, 0.98):
    correct = round(accuracy * len(labels))
    print("If {} of {} were right ({:.0%}): interval {:.1%} to {:.1%}.".format(
        correct, len(labels), accuracy, *stats.wilson_interval(correct, len(labels))))

# %% [markdown]
# ## Did the validation set flatter us?
#
# Now the same model on the validation set. Unlike post 05, where one set of photos was
# answered twice, here two *different* sets of photos are answered once each, so McNemar's test
# does not apply: the question is whether two error rates differ by more than chance. Post 01
# split one folder of 1000 photos at random into these two sets, and that random split is what
# makes the test below fit. [Fisher's exact test](https://en.wikipedia.org/wiki/Fisher%27s_exact_test) answers
# it ([glossary](../glossary.qmd#fisher)). Suppose validation and test photos were equally hard
# for model4. Then the mistakes it made, all of them together, would be equally likely to fall on
# any photo of the two sets, and every possible split of them between the two sets has a
# probability (the hypergeometric distribution). The p-value is the sum of the probabilities of
# every split at most as likely as the observed one, the same rule as in post 05 (`p_value`).
# "Two-sided" means lopsided splits in either direction count. (Checking whether one score falls
# inside the other's interval is not this test: it ignores the uncertainty of the second
# score.)

# %%
report.show_source(stats.fisher_exact)

# %%
_, validation_labels, validation_probabilities = models.predict_all(model4, validation)
validation_predictions = validation_probabilities.argmax(axis=1)
validation_wrong = int(np.sum(validation_predictions != validation_labels))
test_wrong = len(labels) - test_correct
p_value = stats.fisher_exact(validation_wrong, len(validation_labels),
                             test_wrong, len(labels))
validation_accuracy = 1 - validation_wrong / len(validation_labels)
print(f"Validation: {validation_wrong} of {len(validation_labels)} wrong "
      f"({validation_accuracy:.1%} right);\n"
      f"test: {test_wrong} of {len(labels)} wrong ({test_accuracy:.1%} right).")
print(f"Fisher's exact test, two-sided: p = {p_value:.3f}.")
if p_value < 0.05:
    print("Below 0.05: if both sets were equally hard for model4, a split of its\n"
          "mistakes this unlikely would be rare. Why they differ, the test does not "
          "say.")
else:
    print("Not below 0.05: a split like this would not be rare if both sets were\n"
          "equally hard for model4; the two scores are consistent with chance.")

# %% [markdown]
# What to take from this: the number to quote for model4 is the test accuracy, with its
# interval, not the validation accuracy. Read the p-value for what it is: if validation and test
# photos were equally hard for model4, a split of its mistakes at most as likely as ours would
# come up with that probability. It is not the probability that the gap is luck, and when it is
# small it does not say *why* the two sets differ. A gap between them admits two kinds of
# explanation:
#
# - **Selection.** Some choices were made on validation accuracy, such as the design of model1
#   against the variants of post 02, and model4 is the model this post scores because it came
#   out on top there (fine-tuned or not: post 05's photo-by-photo test could not tell the two
#   apart); so the models we kept may be tuned a little to the validation photos. model4's
#   recipe follows [TensorFlow's tutorial](https://www.tensorflow.org/tutorials/images/transfer_learning)
#   in its base, its input size and `FINE_TUNE_AT` = 100, and differs from it in six settings:
#   the optimiser and its learning-rate schedule (the series' recipe of post 02, shared by all
#   four models), the epochs of head training (the same as for models 1–3) and of fine-tuning
#   (a quarter of those), the rotation of the augmentation (post 03's), a head of two logits
#   (like models 1–3) and frozen batch normalisation (post 05 says why). The series did not
#   record whether any of these was tried against other values on these validation photos, so
#   treat them as possibly selected; and the tutorial validates on this same folder, so its own
#   choices may owe something to these photos too.
# - **The luck of the split.** Post 01 split the validation folder at random, so without
#   selection the two sets differ only by the luck of that split, and that is exactly what
#   Fisher's test weighs: the p-value says how rarely luck alone would split model4's mistakes
#   like this. Rare is not impossible, and this series computes several p-values: even with no
#   difference at all, a small one turns up now and then.
#
# What would tell them apart: score, on the same two sets, models whose recipe was fixed
# before anyone looked at a score on these validation photos (TensorFlow's tutorial validates
# on this folder, so its recipe does not qualify), trained with several seeds. If they too do
# worse on the test photos, the split made the test photos harder; if they score the same on
# both sets, that points to selection. A larger test set would shrink the room for luck. And
# one test score on 200 photos is coarse: compare the intervals printed above for 96% and
# 98%, and how much they overlap.
#
# ## All four models
#
# The recap of the series. For models 1–3: their validation accuracy as their posts judged
# them (mean of the last 5 epochs, the mean and range over three seeds; from this machine where
# its post ran here, otherwise from the published run). The home page's table lists the seed-42
# run of each post instead, so its numbers can differ a little from these means. Then, where the
# model its post saved (the seed-42 run, after its last epoch) exists on this machine, that
# model's answers on the validation and the test photos, the interval of its test accuracy, and
# Fisher's test between the two, as for model4 above. Those accuracies are printed with three
# decimals, from the counts, which is exact for 800 and 200 photos: our training log
# (`EpochLog`) prints Keras's 32-bit accuracy to one decimal, so an accuracy that lies exactly
# halfway between two tenths (say 77.75%) can show there rounded down.

# %%
from IPython.display import display

# name: (saved model's validation accuracy, its test accuracy, Fisher's p)
compared = {}


def table_row(name, runs_text, source, right_validation, right_test):
    """One row of the recap: validation accuracy as the post judged it, then the saved
    model's answers on the validation and the test photos (one True/False per photo)."""
    if right_test is None:
        return f"| {name} | {runs_text} | {source} | no saved model here | | | |"
    low, high = stats.wilson_interval(int(right_test.sum()), len(right_test))
    p = stats.fisher_exact(int((~right_validation).sum()), len(right_validation),
                           int((~right_test).sum()), len(right_test))
    compared[name] = (right_validation.mean(), right_test.mean(), p)
    on_validation = (f"{right_validation.mean():.3%} ({right_validation.sum()} of "
                     f"{len(right_validation)})")
    on_test = f"{right_test.mean():.3%} ({right_test.sum()} of {len(right_test)})"
    return (f"| {name} | {runs_text} | {source} | {on_validation} | {on_test} | "
            f"{low:.1%} to {high:.1%} | {p:.3f} |")


# The training history of each model's seed-42 run (fine-tuned model4: head
# training, then fine-tuning): this machine's if its post ran here with the same
# settings, else the published run's.
histories = {}
for name in ["model1", "model2", "model3", "model4", results.FINE_TUNED]:
    history, source = results.history_of(name)
    if history is not None:
        histories[name] = (history, source)

rows = []
for name in ["model1", "model2", "model3"]:
    runs, source, _ = results.runs_of(name)
    model, _ = models.load_saved_model(name)
    right = {}
    for split, dataset in [("validation", validation), ("test", test)]:
        if model is not None:
            with models.retracing_warnings_hidden():  # each model traces anew
                _, split_labels, split_probabilities = models.predict_all(model,
                                                                          dataset)
            right[split] = split_probabilities.argmax(axis=1) == split_labels
    rows.append(table_row(name, report.describe_runs(runs), source,
                          right.get("validation"), right.get("test")))
if results.FINE_TUNED in histories:
    history, source = histories[results.FINE_TUNED]
    model4_runs = report.describe_runs([results.settled_accuracy(history)])
    model4_source = source
else:
    model4_runs, model4_source = "–", "not run yet: run post 05 first"
rows.append(table_row(results.FINE_TUNED, model4_runs, model4_source,
                      validation_predictions == validation_labels,
                      predictions == labels))
display(Markdown(
    "| model | validation accuracy as its post judged it | measured in "
    "| saved model: validation | saved model: test | test, 95% interval "
    "| Fisher's p, validation vs test |\n"
    "|---|---:|---|---:|---:|---:|---:|\n" + "\n".join(rows)))
worse = [name for name, (on_validation, on_test, _) in compared.items()
         if on_test < on_validation]
below = [name for name, (_, _, p) in compared.items() if p < 0.05]
print(f"Saved models that do worse on the test photos: {', '.join(worse) or 'none'};\n"
      f"Fisher's p below 0.05: {', '.join(below) or 'none'}.")

# %% [markdown]
# Each model's last column compares its own validation answers with its own test answers.
# All four models answer the same 800 validation and 200 test photos, so their p-values share
# one split: they are not four independent tests, and several models doing worse on the test
# photos are not independent signs. Read the column with the luck of the split in mind: four
# p-values are read here, so a small one can turn up by chance alone; each also comes from a
# single saved run.
# The line under the table names the models that do worse on the test photos and those whose
# p-value is below 0.05. Neither says why: only the experiment described above tells the luck
# of the split from selection.
#
# And the whole series in one figure: validation accuracy in every epoch of the seed-42 run of
# each model, on one shared axis (from this machine where the post ran here with the same
# settings, otherwise from the published run; the legend says which). Under it, what each step
# changed, from the same runs.

# %%
#| fig-alt: "One line chart of validation accuracy per epoch for all four models, one
#|   line per model on a shared percentage axis, with the source of each run in the
#|   legend; a dotted vertical line marks where model4's fine-tuning starts."
import matplotlib.pyplot as plt
from matplotlib.ticker import PercentFormatter

fig, ax = plt.subplots(figsize=(10, 4.5))
for name in ["model1", "model2", "model3", results.FINE_TUNED]:
    if name in histories:
        history, source = histories[name]
        epochs = range(1, len(history.val_accuracy) + 1)
        line_name = name
        if name == results.FINE_TUNED:
            line_name = "model4: head, then fine-tuning"
        ax.plot(epochs, history.val_accuracy, marker=".",
                label=f"{line_name} ({source})")
        if history.fine_tune_from:
            ax.axvline(history.fine_tune_from + 0.5, color="grey", linestyle=":",
                       label="model4: start of fine-tuning")
ax.set(title="Validation accuracy per epoch, all four models", xlabel="epoch",
       ylabel="validation accuracy")
ax.xaxis.get_major_locator().set_params(integer=True)
ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
ax.legend(loc="lower right")
plt.show()

print("What each step changed (validation accuracy, mean of the last "
      f"{results.WINDOW} epochs of these runs):")
changes = [("augmentation", "model1", "model2"), ("preprocessing", "model2", "model3"),
           ("transfer learning", "model3", "model4"),
           ("fine-tuning", "model4", results.FINE_TUNED)]
for step, before, after in changes:
    if before in histories and after in histories:
        change = (results.settled_accuracy(histories[after][0])
                  - results.settled_accuracy(histories[before][0]))
        print(f"  {step + ':':<19} {100 * change:+5.1f} points ({before} -> {after})")
print("Posts 03-05 judged each step: against the spread between seeds, and\n"
      "fine-tuning photo by photo; one run per model, as here, cannot.")

# %% [markdown]
# ## Summary of the series
#
# From a baseline of guessing, through three small networks trained from scratch, to a
# fine-tuned MobileNetV2: the table on the home page shows each post's main numbers from the
# run's records (`run/run.json`), the same numbers the posts print.

# %% [markdown]
# ## What you learned
#
# The honest score of a model is its accuracy on a test set that guided no choice, quoted with a
# confidence interval, because a few hundred photos measure it only roughly. Whether validation
# and test disagree by more than chance is a question about the random split that made the two
# sets, which Fisher's exact test answers with a p-value; a small p-value says that, if both sets
# were equally hard, a split of the mistakes at most as likely as ours would be rare; it does not
# say why. Looking at every mistake, and at how confident the model was, shows what the number
# hides. What this post's experiment showed, from the cells above:

# %%
print(f"model4 on the test photos: {test_accuracy:.1%} "
      f"({test_correct} of {len(labels)}), 95% interval {low:.1%} to {high:.1%};\n"
      f"on validation {validation_accuracy:.1%}, Fisher's p = {p_value:.3f} "
      f"({'below' if p_value < 0.05 else 'not below'} 0.05).\n"
      f"Saved models that do worse on the test photos: {', '.join(worse) or 'none'}.")

# %% [markdown]
# ## Questions
#
# 1. Why is the test accuracy the number to quote for model4, and not its validation accuracy?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Validation accuracy guided the comparisons of the series, so the models we kept may owe part
# of it to luck on those photos. The test photos influenced no choice.
# :::
#
# 2. What does the Wilson interval printed for the test accuracy tell, and why is it wide?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# It is the range of accuracies on all photos like these that the measurement does not rule
# out; such intervals contain the true accuracy about 95% of the time. It is wide because an
# accuracy measured on 200 photos varies from one sample of photos to another: near 94% (the
# published run's test accuracy), one standard error is √(0.94 × 0.06 / 200) ≈ 1.7 points,
# and a 95% interval spans about 1.96 of them on each side, some 6.6 points in all. (That is
# the normal approximation; the Wilson interval printed above is a little wider and reaches
# further below the accuracy than above it, because an accuracy cannot pass 100%.)
# :::
#
# 3. Why does this post use Fisher's exact test to compare validation and test, while post 05 used
#    McNemar's test to compare before and after fine-tuning?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Post 05 compared two versions of a model on the *same* photos (paired), where only the
# photos on which they disagree count: McNemar's test. Here one model answers two *different*
# sets of photos, which post 01 made by splitting one folder at random. If the two sets were
# equally hard for the model, its mistakes would be spread over the 1000 photos as if the split
# had been drawn after them, and the chance of each way of splitting them is the
# hypergeometric probability that Fisher's exact test adds up.
# :::
#
# 4. What exactly does the p-value of `stats.fisher_exact` add up, and what does it not tell?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Assuming both sets were equally hard, it adds up the probabilities of every split of the
# mistakes between the two sets that is at most as likely as the observed split. It does not give
# the probability that the gap is luck, and it says nothing about why the sets differ.
# :::
#
# 5. Which explanations does the data admit for a test accuracy below the validation accuracy,
#    and what experiment would tell them apart?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Selection (choices made on validation accuracy, including which model to score) and the luck
# of the random split between validation and test photos, which is what Fisher's test weighs
# (a small p-value says luck alone would rarely split the mistakes like this: rare, not
# impossible, and not the probability that luck did it). Scoring models whose recipe was fixed
# before anyone looked at a score on these validation photos (several seeds each) on both sets
# would help: if they too do worse on the test photos, the split made them harder; if not,
# that points to selection. The recap shows which models of the series do worse on the test
# photos, but their choices too were made on validation, so it cannot settle the question.
# :::
#
# ### Try it
#
# These change the code; run them after the first two code cells of this post (the setup
# and the data).
#
# 6. How many test photos would you need for the 95% interval of an accuracy of 98% to be at most
#    one percentage point wide on each side? Try test sets of different sizes with
#    `stats.wilson_interval`.
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# from catsdogs import stats
#
#
# def sides(photos_in_test, accuracy=0.98):
#     """How far the 95% interval reaches below and above the measured accuracy."""
#     right = round(accuracy * photos_in_test)
#     low, high = stats.wilson_interval(right, photos_in_test)
#     return right / photos_in_test - low, high - right / photos_in_test
#
#
# for photos_in_test in [200, 500, 1000, 2000]:
#     below, above = sides(photos_in_test)
#     print(f"{photos_in_test:5d} photos: {100 * below:.2f} points below, "
#           f"{100 * above:.2f} above")
# enough = next(n for n in range(200, 5000) if max(sides(n)) <= 0.01)
# print(f"first with both sides within one point: {enough} photos")
# ```
#
# Near 98% the interval reaches further below than above (accuracy cannot pass 100%), so the
# lower side decides: with 1000 photos it is still a little over one point, and the first test
# set whose interval stays within one point on both sides has 1111 photos (1089 right). Compare
# the sides unrounded, as the code does: printed to one decimal, an interval can look one point
# wide when it is not. The interval shrinks roughly with the square root of the number of
# photos: four times the photos halve its width.
# :::
#
# 7. Our Fisher p-value adds up the splits at most as likely as the observed one. Another common
#    definition adds up the splits whose gap between the two error rates is at least as large as the
#    observed one. Compute both for a made-up result: 20 of 800 validation photos wrong, 12 of
#    200 test photos wrong.
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# from math import comb
#
# from catsdogs import stats
#
# wrong_a, total_a, wrong_b, total_b = 20, 800, 12, 200
# wrong = wrong_a + wrong_b
# ways = {k: comb(total_b, k) * comb(total_a, wrong - k)
#         for k in range(max(0, wrong - total_a), min(wrong, total_b) + 1)}
# observed_gap = abs(wrong_b / total_b - wrong_a / total_a)
# gap = {k: abs(k / total_b - (wrong - k) / total_a) for k in ways}
# as_large = sum(w for k, w in ways.items() if gap[k] >= observed_gap - 1e-12)
# by_gap = as_large / sum(ways.values())
# p_value = stats.fisher_exact(wrong_a, total_a, wrong_b, total_b)
# print(f"at most as likely: {p_value:.4f}")
# print(f"gap at least as large: {by_gap:.4f}")
# ```
#
# The two rules count different sets of splits, so they can give different p-values for the same
# data (here they do; for some other counts they agree); a p-value sentence must say which one
# it computed.
# :::
