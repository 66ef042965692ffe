# ---
# title: "06 · The score on the test set"
# description: >-
#   Score the fine-tuned model4 on 200 photos no model has seen, look at every mistake, test
#   whether validation flattered us, and try the model on a photo of your own, right in this
#   page.
# date: 2026-11-24
# categories: [evaluation, in the browser]
# image: ../images/posts/06-test-score.png
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
# more than chance, recap all four models, and end with two ways to classify photos of your
# own: `classify` in the notebook, and a classifier that runs in your browser, at the end of
# this page.

# %% [markdown]
# ## Setup
#
# The series' helper package (installed in the first lines when you run this in Colab) and the
# data of post 01 in one call.

# %%
#| code-fold: true
import importlib.util
import subprocess
import sys

PACKAGE = "git+https://github.com/cats-vs-dogs-tutorial/cats-vs-dogs@v1.2.0"
if "google.colab" in sys.modules:  # in Colab: install the series' helper package
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", PACKAGE], check=True)
if importlib.util.find_spec("catsdogs") is None:
    raise SystemExit(
        f"This post needs the series' helper package: pip install {PACKAGE}")
from catsdogs import config

config.import_tensorflow_quietly()  # without its C++ start-up messages
from catsdogs import data, models, photos, report, results

train, validation, test, class_names = data.load_data()

# %% [markdown]
# ## The model
#
# Post 05 saved the fine-tuned model4 in the Keras cache. If it is not there (a fresh Colab
# runtime, or post 05 was not run on this machine) or cannot be loaded (saved by an incompatible
# Keras version, or damaged), we say so and train it here with post 05's recipe.

# %%
model4, problem = models.load_saved_model("model4")
if model4 is None:
    print(problem)
    print("So this post trains model4 itself, with post 05's recipe, and saves it:")
    model4 = models.train_model4(train, validation)
    models.save_model(model4)
    model4_source = "trained by post 06"
else:
    model4_source = results.SAVED_MODEL4
print(f"Model: {model4.name}, {model4.count_params():,} parameters, {model4_source}")

# %% [markdown]
# ## The test score
#
# We collect every test image with its true label and the model's probabilities, and score them.

# %%
import numpy as np
import tensorflow as tf
from IPython.display import Markdown, display


def predict_all(model, dataset):
    """The images, true labels and predicted class probabilities of a whole (unshuffled)
    dataset."""
    images = np.concatenate([batch for batch, _ in dataset])
    labels = np.concatenate([batch_labels for _, batch_labels in dataset])
    probabilities = tf.nn.softmax(model.predict(dataset, verbose=0)).numpy()
    return images, labels, probabilities


images, labels, probabilities = predict_all(model4, test)
predictions = probabilities.argmax(axis=1)
test_correct = int(np.sum(predictions == labels))
test_accuracy = test_correct / len(labels)
display(Markdown(f"**Test accuracy: {test_accuracy:.1%}** "
                 f"({test_correct} of {len(labels)} test images right)."),
        metadata={results.METADATA_KEY: {results.TEST_RESULT: {
            "accuracy": test_accuracy, "correct": test_correct, "images": len(labels),
            "model": model4_source}}})

# %% [markdown]
# ## Where does it go wrong?
#
# A *confusion matrix* counts the four possible outcomes: rows are the true class, columns the
# predicted one, so the diagonal holds the correct answers and everything else is a mistake.

# %%
#| fig-alt: "A two by two confusion matrix of the test images: rows are the true class,
#|   cats then dogs, columns the class model4 predicted; each cell shows its number of
#|   images, darker blue for more, and a colour bar on the right gives the scale. The
#|   diagonal holds the correct answers, the other two cells the mistakes."
import matplotlib.pyplot as plt

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

# %% [markdown]
# Below comes every mistake, with the true label, the model's answer and how sure it was, and
# with a map of where in the photo model4 found its evidence. First, what such a map is.
#
# ### Where the evidence lies: class activation maps
#
# model4 ends in three steps. MobileNetV2 turns the 160×160 photo into a grid of 5×5
# positions, 32 pixels apart, with 1280 features at each; global average pooling averages the
# features over the 25 positions; the dense layer weighs the 1280 averages into two logits,
# one per class. Averaging and weighing are both linear, so their order does not matter:
# weigh the features at each position first, and you get for each class a 5×5 *class
# activation map* ([Zhou et al., 2016](https://arxiv.org/abs/1512.04150)) whose mean, plus the
# dense layer's bias, *is* that class's logit. Since the logit is the *mean* of the 25 cells,
# each cell adds a 25th of its value to it; so we draw the map divided by its number of cells,
# and then its cells add up to the logit (minus the bias): a cell shows, in logits, how much
# the features at that position add.
#
# With two classes only the difference of the two logits matters (the softmax of two logits
# a and b depends on a − b alone), so we draw one map per photo: the difference of the two
# class maps, in the colour of the class each cell pushes towards, stronger where it pushes
# harder (the colour bar gives the scale). What a map is not: an outline of the animal. It
# shows where the evidence lies, in coarse cells, not what the model saw there, and a clear
# map does not make an answer right. The package computes it from model4's own layers:

# %%
from catsdogs import cam

report.show_source(cam.class_map_model, cam.class_maps, cam.evidence_for)

# %% [markdown]
# The maps of all test photos, and the check that their mean plus the bias gives model4's
# logits; then the difference map, divided by its number of cells, and from its sum plus the
# difference of the two biases, the probabilities:

# %%
maps = cam.class_maps(model4, images)  # [photos, 5, 5, classes]
bias = cam.dense_bias(model4)
logits = model4.predict(images, verbose=0)
map_error = np.abs(maps.mean(axis=(1, 2)) + bias - logits).max()
cells = maps.shape[1] * maps.shape[2]
# What each cell adds to the logit of class 1 minus the logit of class 0:
evidence = cam.evidence_for(maps, 1) / cells
from_difference = 1 / (1 + np.exp(-(evidence.sum(axis=(1, 2)) + bias[1] - bias[0])))
probability_error = np.abs(from_difference - probabilities[:, 1]).max()
print(f"{len(images)} maps of {maps.shape[1]}x{maps.shape[2]} cells: map mean + bias "
      f"differs from model4's logits by at most {map_error:.1e};\nprobability of "
      f"{class_names[1]} from the difference map's sum plus the biases: off by at most "
      f"{probability_error:.1e}.")

# %% [markdown]
# Every mistake, each photo twice: as the model saw it, and with its map. Above each map, how
# many of its 25 cells favour the true class. Each figure sets its colour scale from its own
# photos' maps (the colour bar below it), so that weak evidence still shows. How sure the model
# was of each answer is in each photo's title; the line printed under the figure compares the
# mean confidence on mistakes and on correct answers.

# %%
#| fig-alt: "Every misclassified test photo twice, side by side: first plain, titled
#|   with the true class, the model's answer and its confidence; then overlaid with
#|   model4's class activation map, a smooth colour overlay (upsampled from 5x5 cells)
#|   towards cat or dog where the evidence lay, titled with how many cells favour the
#|   true class. A colour bar gives the scale."
def label(index):
    """The singular name of class `index`: 'cat' or 'dog'."""
    return class_names[index].rstrip("s")


def show_with_maps(indices, title, columns=3):
    """Each photo plain and with model4's map, titled with the true class and answer;
    the colour scale comes from these photos' maps."""
    photo_scale = cam.map_scale(evidence[np.asarray(indices)])
    rows = -(-len(indices) // columns)
    fig, axes = plt.subplots(rows, 2 * columns, figsize=(3.3 * columns, 2.1 * rows + 1),
                             squeeze=False, layout="constrained")
    for ax in axes.flat:
        ax.axis("off")
    for number, index in enumerate(indices):
        row, column = divmod(number, columns)
        true, answer = labels[index], predictions[index]
        axes[row, 2 * column].imshow(images[index].astype("uint8"))
        axes[row, 2 * column].set_title(
            f"true: {label(true)}\nanswer: {label(answer)} "
            f"({probabilities[index, answer]:.1%})", fontsize=9)
        for_true = int(np.sum(cam.evidence_for(maps[index], true) > 0))
        cam.show_map(axes[row, 2 * column + 1], images[index], evidence[index],
                     photo_scale, title=f"{for_true} of {evidence[index].size} cells\n"
                                        f"for {label(true)}")
    cam.add_colour_bar(fig, axes, photo_scale, class_names)
    fig.suptitle(title)
    plt.show()


mistakes = np.flatnonzero(predictions != labels)
if len(mistakes) == 0:
    print("No mistakes: model4 classifies every test image correctly.")
else:
    show_with_maps(mistakes, f"The {len(mistakes)} misclassified test images")
confidence = probabilities.max(axis=1)
print(f"Mean confidence: {confidence[predictions == labels].mean():.1%} on correct "
      "answers" + (f", {confidence[mistakes].mean():.1%} on mistakes;\n"
         f"{np.sum(confidence[mistakes] >= 0.95)} of the {len(mistakes)} mistakes were "
         "made with a confidence of 95% or more." if len(mistakes) else "."))

# %% [markdown]
# And, to compare, three correctly classified photos of each class, drawn at random:

# %%
#| fig-alt: "Three correctly classified test photos of each class, drawn at random,
#|   each shown plain with its true class, answer and confidence, and overlaid with
#|   model4's class activation map in the colours of the two classes, with a colour bar
#|   for the scale."
generator = np.random.default_rng(config.SEED)
correct_sample = []
for class_index in range(len(class_names)):
    right = np.flatnonzero((predictions == labels) & (labels == class_index))
    correct_sample.extend(generator.choice(right, min(3, len(right)), replace=False))
show_with_maps(correct_sample, "Correctly classified test images (a random sample)")

# %% [markdown]
# Read each mistake's map. The colour of the wrong answer marks where the evidence for it
# lay, the colour of the true class where the evidence against it lay. Where the wrong
# colour sits on the animal itself, the features there looked more like the other class;
# where it sits on cage bars, a person, a blanket or the background, the cells over something
# other than the animal carried that evidence (a cell's features also see the pixels around
# it, its [receptive field](https://distill.pub/2019/computing-receptive-fields/), so the map
# cannot tell whether those pixels or nearby ones produced it). Then look at
# the correctly classified photos: is their evidence on the animal? Keep in mind what the maps
# cannot show: which part of a 32×32-pixel cell mattered, or why. Then compare the confidences
# printed above: where some mistakes were made with 95% or more, a high probability does not
# guarantee a right answer.
#
# ## model1 against model4: where do they look?
#
# model1 (post 02) learned all its features from our 2000 training photos; model4's features
# come from MobileNetV2, trained on about 1.3 million ImageNet photos before it saw ours
# (post 05). Do the two find their evidence in the same places?
#
# model1 ends differently: it flattens its last feature map (5×5 positions, 128 features)
# into a dense layer that has a weight for every position and feature, so there is no
# average to swap with the weights. Grad-CAM
# ([Selvaraju et al., 2017](https://arxiv.org/abs/1610.02391)) works for any CNN: it takes the
# gradient of a class score with respect to a layer's output (how the score changes with each
# feature at each position), averages it over the positions, and weighs each feature with
# that average. With model1's head the average throws away which position counted, so we
# keep the gradient position by position, as HiResCAM does
# ([Draelos and Carin, 2020](https://arxiv.org/abs/2011.08891)). The check below prints how
# far each version's map is from adding up to model1's logit difference (dogs minus cats,
# biases removed). For model4 at MobileNetV2's output both are its class activation map
# divided by 25, the map drawn above: there the gradient is the same at every position (the
# dense layer's weights divided by 25, through the average), so averaging it over the
# positions loses nothing. The check prints how far model4's HiResCAM is from that map.

# %%
report.show_source(cam.layer_gradients, cam.grad_cam, cam.hires_cam)

# %%
model1, problem = models.load_saved_model("model1")
if model1 is None:
    print(f"Skipped, no model1 to compare: {' '.join(problem.split())}")
else:
    layer = cam.last_feature_map_layer(model1)
    with models.retracing_warnings_hidden():  # a second model: traced anew
        logits1 = model1.predict(images, verbose=0)
        evidence1 = cam.hires_cam(model1, images, 1, layer, versus=0)
        gradcam1 = cam.grad_cam(model1, images, 1, layer, versus=0)
    bias1 = model1.layers[-1].get_weights()[1]
    gap1 = logits1[:, 1] - logits1[:, 0] - (bias1[1] - bias1[0])
    print(f"model1's maps at {layer!r} ({evidence1.shape[1]}x{evidence1.shape[2]}): "
          "sum minus the logit difference (bias removed),\nlargest over "
          f"{len(images)} photos: "
          f"HiResCAM {np.abs(evidence1.sum(axis=(1, 2)) - gap1).max():.1e}, "
          f"Grad-CAM {np.abs(gradcam1.sum(axis=(1, 2)) - gap1).max():.1e} "
          f"(largest logit difference {np.abs(gap1).max():.1f}).")
with models.retracing_warnings_hidden():
    hires4 = cam.hires_cam(model4, images, 1, versus=0)
print(f"model4's HiResCAM minus its class activation map divided by {cells}:\nat most "
      f"{np.abs(hires4 - evidence).max():.1e} in any cell of the {len(images)} maps.")

# %% [markdown]
# The same photos for both models: the first three mistakes of model4 and three of the
# correctly classified photos above, each model's map made the same way (HiResCAM, whose cells
# add up to the logit difference) and with its own colour scale.

# %%
#| fig-alt: "Six test photos in rows, three of model4's mistakes and three correct
#|   answers: each row shows the photo with its true class, then model1's and model4's
#|   HiResCAM map of the same photo, each titled with that model's answer; each model's
#|   maps have their own colour bar, below them."
def strongest_share(maps_of_photos, cells=5):
    """The share of each map's total |evidence| in its `cells` strongest cells."""
    flat = np.sort(np.abs(maps_of_photos).reshape(len(maps_of_photos), -1), axis=1)
    return flat[:, -cells:].sum(axis=1) / flat.sum(axis=1)


if model1 is not None:
    scale1, scale4 = cam.map_scale(evidence1), cam.map_scale(hires4)
    answers1 = logits1.argmax(axis=1)
    chosen = np.concatenate([mistakes[:3], correct_sample[:3]]).astype(int)
    fig, axes = plt.subplots(len(chosen), 3, figsize=(7.4, 2.1 * len(chosen) + 0.6),
                             squeeze=False, layout="constrained")
    for row, index in zip(axes, chosen):
        row[0].imshow(images[index].astype("uint8"))
        row[0].set_title(f"true: {label(labels[index])}", fontsize=9)
        row[0].axis("off")
        cam.show_map(row[1], images[index], evidence1[index], scale1,
                     title=f"model1: {label(answers1[index])}")
        cam.show_map(row[2], images[index], hires4[index], scale4,
                     title=f"model4: {label(predictions[index])}")
    for column, name, model_scale in ((1, "model1", scale1), (2, "model4", scale4)):
        cam.add_colour_bar(fig, axes[:, column], model_scale, class_names,
                           label=f"{name}:\nwhat a cell adds to\nthe logit difference")
    fig.suptitle("Where model1 and model4 find their evidence (HiResCAM)")
    plt.show()
    same_grid = zip(cam.upsample(evidence1), cam.upsample(hires4))
    correlations = [np.corrcoef(one.ravel(), four.ravel())[0, 1]
                    for one, four in same_grid]
    share1, share4 = strongest_share(evidence1).mean(), strongest_share(hires4).mean()
    print(f"Over the {len(images)} test photos: share of the evidence in the 5 "
          f"strongest cells of each map,\nmean: model1 {share1:.0%}, "
          f"model4 {share4:.0%}; correlation of the two "
          f"models' maps of the same photo: median {np.median(correlations):.2f}.")

# %% [markdown]
# Compare the two columns photo by photo: does model1's evidence sit where model4's does,
# on the animal, or elsewhere in the photo? The printed numbers say how concentrated each
# model's evidence is and how alike the two maps of a photo are (a correlation near zero means
# the two maps of a photo are hardly alike); they do not say
# which model is right, and the maps do not say what either model saw. Nor do they say why the
# two differ: model4's features were learned from ImageNet's photos (its top layers then
# fine-tuned on ours) and model1's from our 2000, but the two networks also differ in depth and
# size. (A model whose answer depends
# only on the left half of its image gets all its HiResCAM evidence there and Grad-CAM
# evidence in both halves: `tests/test_cam.py` checks that.)

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
# does not apply: the question is whether two error rates on independent samples differ by more
# than chance. [Fisher's exact test](https://en.wikipedia.org/wiki/Fisher%27s_exact_test) answers
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
_, validation_labels, validation_probabilities = predict_all(model4, validation)
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
#   against the variants of post 02, and model4 is the model this post scores because it did
#   best there; so the models we kept may be tuned a little to the validation photos. For
#   model4's own recipe we made few choices: `FINE_TUNE_AT` = 100 is the value of TensorFlow's
#   tutorial, and fine-tuning is kept whatever post 05's test says. But that tutorial
#   validates on this same folder, so its choices may owe something to these photos too.
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
# Fisher's test between the two, as for model4 above.

# %%
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
    on_validation = (f"{right_validation.mean():.1%} ({right_validation.sum()} of "
                     f"{len(right_validation)})")
    on_test = f"{right_test.mean():.1%} ({right_test.sum()} of {len(right_test)})"
    return (f"| {name} | {runs_text} | {source} | {on_validation} | {on_test} | "
            f"{low:.1%} to {high:.1%} | {p:.3f} |")


# The training history of each model's seed-42 run (fine-tuned model4: head
# training, then fine-tuning): this machine's if its post ran here with the same
# settings, else the published run's.
histories = {}
for name in ["model1", "model2", "model3", "model4", "model4 fine-tuned"]:
    history, source, _ = results.history_of(name)
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
                _, split_labels, split_probabilities = predict_all(model, dataset)
            right[split] = split_probabilities.argmax(axis=1) == split_labels
    rows.append(table_row(name, report.describe_runs(runs), source,
                          right.get("validation"), right.get("test")))
if "model4 fine-tuned" in histories:
    history, source = histories["model4 fine-tuned"]
    model4_runs = report.describe_runs([results.settled_accuracy(history)])
    model4_source = source
else:
    model4_runs, model4_source = "–", "not run yet: run post 05 first"
rows.append(table_row("model4 fine-tuned", model4_runs, model4_source,
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
for name in ["model1", "model2", "model3", "model4 fine-tuned"]:
    if name in histories:
        history, source = histories[name]
        epochs = range(1, len(history["val_accuracy"]) + 1)
        label = name
        if name == "model4 fine-tuned":
            label = "model4: head, then fine-tuning"
        ax.plot(epochs, history["val_accuracy"], marker=".",
                label=f"{label} ({source})")
        if "fine_tune_from" in history:
            ax.axvline(history["fine_tune_from"] + 0.5, color="grey", linestyle=":",
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
           ("fine-tuning", "model4", "model4 fine-tuned")]
for step, before, after in changes:
    if before in histories and after in histories:
        change = (results.settled_accuracy(histories[after][0])
                  - results.settled_accuracy(histories[before][0]))
        print(f"  {step + ':':<19} {100 * change:+5.1f} points ({before} -> {after})")
print("Posts 03-05 judged each step: against the spread between seeds, and\n"
      "fine-tuning photo by photo; one run per model, as here, cannot.")

# %% [markdown]
# ## Classify your own photo
#
# `classify` takes a list of image files (JPEG, PNG, GIF or BMP; any size; colour, grayscale or
# with an alpha channel), decodes and resizes them exactly as `image_dataset_from_directory` did
# for training (three colour channels, bilinear resize to 160×160; the preprocessor inside the
# model does the rest), and prints the answer with its probability. A file that cannot be read
# gets a one-line message, and the others are still classified.

# %%
report.show_source(photos.load_photo, photos.classify)

# %%
test_files = data.load_splits(data.find_data())[2].file_paths
photos.classify(model4, test_files[:4], class_names)

# %% [markdown]
# The file names say the true class, so you can check each answer. And what happens with a file
# that is not a photo, or a path that does not exist:

# %%
import os
import tempfile

not_a_photo = os.path.join(tempfile.mkdtemp(), "not-a-photo.jpg")
with open(not_a_photo, "w") as file:
    file.write("This is a text file with a .jpg name.")
photos.classify(model4,
                [test_files[4], not_a_photo, "no-such-photo.jpg", test_files[5]],
                class_names)

# %% [markdown]
# And a photo of neither: Grace Hopper, from Matplotlib's sample images. A two-class model has
# no answer "neither": its two probabilities always add up to 100%, so it names one of the two
# classes, whichever gets the larger logit, and can be confident about it. A model trained with
# a third class ("something else"), or a separate check of how unusual the photo is, are two
# ways to say "not a pet"; this post tries neither.

# %%
from matplotlib import cbook

photos.classify(model4, [cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)],
                class_names)

# %% [markdown]
# To try your own photos in Colab, upload them with the file browser on the left and call
# `photos.classify(model4, ["your-photo.jpg"])`.
#
# ## Export for the browser
#
# The classifier at the end of this page runs model4 in your browser with
# [ONNX Runtime Web](https://onnxruntime.ai/docs/tutorials/web/). ONNX is a file format for
# trained networks that many runtimes read. We export only the *inference* path: the
# augmentation layers are switched off at inference anyway, and tf2onnx, the converter, has no
# conversion for the TensorFlow operations they use (`StatelessRandomUniformV2` for the random
# numbers, `ImageProjectiveTransformV3` for the rotation; see
# [onnx/tensorflow-onnx#2395](https://github.com/onnx/tensorflow-onnx/issues/2395)), so the
# exported file would be one that ONNX Runtime refuses to load. The exported network has two outputs: the two
# logits, and model4's class maps at 5×5, which the page draws over your photo. The export runs
# the same test photos through Keras and through the written file, compares both outputs, and
# refuses (deletes) a file that disagrees. (This needs Keras 3 and the packages `tf2onnx`,
# `onnx` and `onnxruntime`; where they are missing, the cell says so and the rest of the post is
# unaffected.)

# %%
from catsdogs import onnx_export

try:  # the export checks the written file on the test photos, and refuses a wrong one
    export = onnx_export.export_onnx(
        model4, os.path.join(config.results_dir(), "onnx"), class_names, images,
        validation_accuracy=validation_accuracy, test_accuracy=test_accuracy)
    size = os.path.getsize(export.onnx_path) / 1e6
    print(f"Wrote {config.shown_path(export.onnx_path)} ({size:.1f} MB), "
          "with the maps as "
          f"a second output.\n{export.check}")
except onnx_export.OnnxExportError as error:
    print(f"No ONNX export here: {error}")

# %% [markdown]
# ## Try it on your own photo {#try-it}
#
# Choose a photo (or drop one, or take one with your phone): the model runs in this page, in
# your browser, and the photo never leaves your machine. The first photo downloads the model
# (its size is printed above) and its runtime; later photos are quicker. The photo is
# squashed to 160×160, as in training, and you see it as the model does. Over your photo,
# colour marks where the model found its evidence for cat or for dog, as in the maps above; the
# checkbox hides it.

# %% [raw]
# <link rel="stylesheet" href="widget/classifier.css">
# <div class="cdc" data-model="widget/model4.onnx" data-metadata="widget/model4.json">
# <p>The photo classifier needs JavaScript (and WebAssembly): turn them on to try it.</p>
# </div>
# <script type="module" src="widget/classifier.js"></script>

# %% [markdown]
# ## Summary of the series
#
# From a baseline of guessing, through three small networks trained from scratch, to a
# fine-tuned MobileNetV2: the table on the home page collects each post's main numbers from the
# notebooks, as they were measured (for models 1–3, the seed-42 run of each post, which is why
# they can differ from the three-seed means in the recap above).

# %% [markdown]
# ## What you learned
#
# The honest score of a model is its accuracy on a test set that guided no choice, quoted with a
# confidence interval, because a few hundred photos measure it only roughly. Whether validation
# and test disagree by more than chance is a question about two independent samples, which
# Fisher's exact test answers with a p-value; a small p-value says that, if both sets were
# equally hard, a split of the mistakes at most as likely as ours would be rare; it does not
# say why. Looking at every mistake, and at how confident the model was,
# shows what the number hides. A two-class model always names one of its two classes, even for a
# photo of neither.

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
# out; such intervals contain the true accuracy about 95% of the time. It is wide because 200
# photos is little: each photo is half a point.
# :::
#
# 3. Why does this post use Fisher's exact test to compare validation and test, while post 05 used
#    McNemar's test to compare before and after fine-tuning?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# Post 05 compared two versions of a model on the *same* photos (paired), where only the
# disagreements count. Here one model answers two *different*, independent sets of photos, and the
# question is whether two error rates differ: that is Fisher's test.
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
# 6. Why does `classify` answer "dog" or "cat" for a photo of a person?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# A two-class model has no answer "neither": softmax makes its two probabilities add up to 1, so
# it names one of the two classes, whichever gets the larger logit, and can be confident about
# it, as with the photo of Grace Hopper above.
# :::
#
# 7. Why does the ONNX export leave out the augmentation layers?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# They do nothing at inference, and tf2onnx has no conversion for the TensorFlow operations
# they use (`StatelessRandomUniformV2`, `ImageProjectiveTransformV3`), so the exported file
# would not load in ONNX Runtime.
# :::
#
# ### Try it
#
# These change the code; run them after the setup cell at the top of this post.
#
# 8. How many test photos would you need for the 95% interval of an accuracy of 98% to be at most
#    one percentage point wide on each side? Try test sets of different sizes with
#    `stats.wilson_interval`.
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# from catsdogs import stats
#
# for photos_in_test in [200, 500, 1000, 1100, 1200, 1500, 2000]:
#     low, high = stats.wilson_interval(round(0.98 * photos_in_test), photos_in_test)
#     print(f"{photos_in_test:5d} photos: {low:.1%} to {high:.1%}")
# ```
#
# The interval shrinks roughly with the square root of the number of photos: four times the
# photos halve its width. Near 98% the lower side is the wider one; the printed intervals show
# that it needs a little over a thousand photos to come within one point.
# :::
#
# 9. Our Fisher p-value adds up the splits at most as likely as the observed one. Another common
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
