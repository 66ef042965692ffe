# ---
# title: "06 · The score on the test set"
# description: >-
#   Score the fine-tuned model4 on 200 photos no model has seen, look at every mistake, test
#   whether validation flattered us, and try the model on a photo of your own, right in this
#   page.
# date: 2026-11-24
# categories: [evaluation, in the browser]
# image: ../images/posts/06-test-score.png
# ---

# %% [markdown]
# Every choice in this series, from the architecture to the number of epochs, was made while
# watching validation accuracy, so that number may flatter us. The test set of post 01, 200
# photos that no model has seen, gives the honest score. We load the model saved by post 05,
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
import importlib.util
import subprocess
import sys

if "google.colab" in sys.modules:  # in Colab: install the series' helper package (a few seconds)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/cats-vs-dogs-tutorial/cats-vs-dogs"], check=True)
if importlib.util.find_spec("catsdogs") is None:
    raise SystemExit("This post needs the series' helper package: pip install git+https://github.com/cats-vs-dogs-tutorial/cats-vs-dogs")
from catsdogs import config, data, models, photos, report

train, validation, test, class_names = data.load_data()

# %% [markdown]
# ## The model
#
# Post 05 saved the fine-tuned model4 in the Keras cache. If it is not there (a fresh Colab
# runtime, or post 05 was not run on this machine) or cannot be loaded (saved by an incompatible
# Keras version, or damaged), we say so and train it here with post 05's recipe.

# %%
model4, problem = models.load_saved_model("model4", config.RESULTS_DIR)
if model4 is None:
    print(problem + "\nTraining model4 here with post 05's recipe instead (run post 05 again to save one).")
    model4 = models.train_model4(train, validation)
print(f"Model: {model4.name}, {model4.count_params():,} parameters")

# %% [markdown]
# ## The test score
#
# We collect every test image with its true label and the model's probabilities, and score them.

# %%
import numpy as np
import tensorflow as tf
from IPython.display import Markdown, display


def predict_all(model, dataset):
    """The images, true labels and predicted class probabilities of a whole (unshuffled) dataset."""
    images = np.concatenate([batch for batch, _ in dataset])
    labels = np.concatenate([batch_labels for _, batch_labels in dataset])
    probabilities = tf.nn.softmax(model.predict(dataset, verbose=0)).numpy()
    return images, labels, probabilities


images, labels, probabilities = predict_all(model4, test)
predictions = probabilities.argmax(axis=1)
test_correct = int(np.sum(predictions == labels))
test_accuracy = test_correct / len(labels)
display(Markdown(f"**Test accuracy: {test_accuracy:.1%}** ({test_correct} of {len(labels)} test images right)."),
        metadata={"results": {"test": {"accuracy": test_accuracy, "correct": test_correct, "images": len(labels)}}})

# %% [markdown]
# ## Where does it go wrong?
#
# A *confusion matrix* counts the four possible outcomes: rows are the true class, columns the
# predicted one, so the diagonal holds the correct answers and everything else is a mistake.

# %%
import matplotlib.pyplot as plt

confusion = tf.math.confusion_matrix(labels, predictions, num_classes=len(class_names)).numpy()

fig, ax = plt.subplots(figsize=(4.5, 4))
shown = ax.imshow(confusion, cmap="Blues")
for (row, column), count in np.ndenumerate(confusion):
    ax.text(column, row, count, ha="center", va="center", color="white" if count > confusion.max() / 2 else "black")
ax.set(xticks=range(len(class_names)), yticks=range(len(class_names)), xticklabels=class_names,
       yticklabels=class_names, xlabel="predicted class", ylabel="true class",
       title=f"Confusion matrix on the {len(labels)} test images")
fig.colorbar(shown, ax=ax, label="number of images")
report.save_figure(fig, "06-test-score.png")
plt.show()

# %% [markdown]
# Every mistake, with the true label, the model's answer and how sure it was:

# %%
mistakes = np.flatnonzero(predictions != labels)
if len(mistakes) == 0:
    print("No mistakes: model4 classifies every test image correctly.")
else:
    columns = min(len(mistakes), 4)
    rows = -(-len(mistakes) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 3.6 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, index in zip(axes.flat, mistakes):
        ax.imshow(images[index].astype("uint8"))
        ax.set_title(f"true: {class_names[labels[index]].rstrip('s')}\n"
                     f"predicted: {class_names[predictions[index]].rstrip('s')} "
                     f"({probabilities[index, predictions[index]]:.0%})")
    fig.suptitle(f"The {len(mistakes)} misclassified test images")
    plt.show()
confidence = probabilities.max(axis=1)
print(f"Mean confidence: {confidence[predictions == labels].mean():.1%} on correct answers"
      + (f", {confidence[mistakes].mean():.1%} on mistakes;\n{np.sum(confidence[mistakes] >= 0.95)} of the "
         f"{len(mistakes)} mistakes were made with a confidence of 95% or more." if len(mistakes) else "."))

# %% [markdown]
# Look through the gallery for what makes a photo hard at 160×160 pixels, for example an animal
# behind cage bars or wire mesh (many photos come from animal shelters), an animal small in a
# busy scene, curled up with its face hidden, or a puppy whose round face and fluffy coat look
# like a kitten's. Then compare the confidences printed above: a mistake made with high
# confidence shows that the model's probability is no reliable measure of its doubt.
#
# ## How much does one test score tell?
#
# 200 images is not many: every mistake costs half a percentage point. A confidence interval
# (here the [Wilson score interval](https://en.wikipedia.org/wiki/Binomial_proportion_confidence_interval#Wilson_score_interval))
# says how far the accuracy on *all* photos like these could plausibly be from what we measured.

# %%
def wilson_interval(correct, total, z=1.96):
    """The 95% confidence interval (Wilson score interval) of an accuracy of correct/total."""
    p = correct / total
    centre = (p + z**2 / (2 * total)) / (1 + z**2 / total)
    half = z * np.sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / (1 + z**2 / total)
    return centre - half, centre + half


low, high = wilson_interval(test_correct, len(labels))
print(f"Test accuracy {test_accuracy:.1%} on {len(labels)} images;\n95% confidence interval {low:.1%} to {high:.1%}.")
for accuracy in (0.96, 0.98):
    correct = round(accuracy * len(labels))
    print("If {} of {} were right ({:.0%}): interval {:.1%} to {:.1%}.".format(
        correct, len(labels), accuracy, *wilson_interval(correct, len(labels))))

# %% [markdown]
# ## Did the validation set flatter us?
#
# The same model on the validation set, which guided every choice in this series. Whether the
# two error rates differ by more than chance is a question about two proportions, so we answer
# it with a two-proportion test, [Fisher's exact test](https://en.wikipedia.org/wiki/Fisher%27s_exact_test):
# if validation and test photos were equally hard, how likely would a split of the mistakes at
# least as lopsided as ours be? (Checking whether one score falls inside the other's interval is
# not that test: it ignores the uncertainty of the second score.) The test's answer is a
# *p-value*: the probability of a gap at least this large between the two error rates if the
# two sets were equally hard. "Two-sided" means a gap in either direction counts.

# %%
from math import comb


def fisher_exact_two_sided(wrong_a, total_a, wrong_b, total_b):
    """Fisher's exact test for two error rates: the probability, if both sets were equally hard, of a
    split of all the mistakes between them at most as likely as the one observed."""
    wrong = wrong_a + wrong_b

    def probability(k):  # k of the mistakes in set b
        return comb(total_b, k) * comb(total_a, wrong - k) / comb(total_a + total_b, wrong)

    observed = probability(wrong_b)
    possible = range(max(0, wrong - total_a), min(wrong, total_b) + 1)
    return sum(p for p in map(probability, possible) if p <= observed * (1 + 1e-9))


_, validation_labels, validation_probabilities = predict_all(model4, validation)
validation_wrong = int(np.sum(validation_probabilities.argmax(axis=1) != validation_labels))
test_wrong = len(labels) - test_correct
p_value = fisher_exact_two_sided(validation_wrong, len(validation_labels), test_wrong, len(labels))
validation_accuracy = 1 - validation_wrong / len(validation_labels)
print(f"Validation: {validation_wrong} of {len(validation_labels)} wrong ({validation_accuracy:.1%} right);\n"
      f"test: {test_wrong} of {len(labels)} wrong ({test_accuracy:.1%} right).")
print(f"Fisher's exact test, two-sided: p = {p_value:.3f}.\n"
      + ("That is below 0.05: the gap between validation and test is larger than\n"
         "chance alone usually produces." if p_value < 0.05 else
         "That is not below 0.05: the two scores are consistent with chance alone."))

# %% [markdown]
# What to take from this: the number to quote for model4 is the test accuracy, with its
# interval, not the validation accuracy. When the test score is clearly worse, as a small
# p-value says, the likely reason is that all our choices (the recipe, the augmentation, how
# many layers to fine-tune) were made while watching the validation set, so the validation
# score flatters the model; a p-value below 0.05 still leaves a small chance that it is luck.
# And one test score on 200 photos is coarse: compare the intervals printed above for 96% and
# 98%, and how much they overlap.
#
# ## All four models
#
# The recap of the series: validation accuracy of models 1–3 (mean of the last 5 epochs; from
# this machine where its post ran here, otherwise from the published run) and their test
# accuracy where the model saved by its post exists on this machine; for model4, the fine-tuned
# model scored in this post.

# %%
rows = []
for name in ["model1", "model2", "model3"]:
    runs, source = report.runs_of(name)
    model, _ = models.load_saved_model(name, config.RESULTS_DIR)
    if model is not None:
        _, model_labels, model_probabilities = predict_all(model, test)
        test_text = f"{np.mean(model_probabilities.argmax(axis=1) == model_labels):.1%}"
    else:
        test_text = "no saved model on this machine"
    rows.append(f"| {name} | {report.describe_runs(runs)} | {source} | {test_text} |")
rows.append(f"| model4, fine-tuned | {validation_accuracy:.1%} | this post | {test_accuracy:.1%} |")
display(Markdown("| model | validation accuracy | measured in | test accuracy of the model its post saved "
                 "(seed 42) |\n|---|---:|---|---:|\n" + "\n".join(rows)))

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
photos.classify(model4, [test_files[4], not_a_photo, "no-such-photo.jpg", test_files[5]], class_names)

# %% [markdown]
# And a photo of neither: Grace Hopper, from Matplotlib's sample images. A two-class model has
# no answer "neither": its two probabilities always add up to 100%, so it names whichever class
# the photo resembles more, often with high confidence. Only a model trained with a third class
# ("something else"), or a check of how unusual the photo is, could say "not a pet".

# %%
from matplotlib import cbook

photos.classify(model4, [cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)], class_names)

# %% [markdown]
# To try your own photos in Colab, upload them with the file browser on the left and call
# `photos.classify(model4, ["your-photo.jpg"])`.
#
# ## Export for the browser
#
# The classifier at the end of this page runs model4 in your browser with
# [ONNX Runtime Web](https://onnxruntime.ai/docs/tutorials/web/). ONNX is a file format for
# trained networks that many runtimes read. We export only the *inference* path: the
# augmentation layers are switched off at inference anyway, and ONNX has no operation for their
# random numbers. Then we run the same test photos through Keras and through the exported file
# and compare. (This needs Keras 3 and the packages `tf2onnx`, `onnx` and `onnxruntime`; where
# they are missing, the cell says so and the rest of the post is unaffected.)

# %%
from catsdogs import onnx_export

report.show_source(onnx_export.inference_model)
try:
    onnx_path, json_path = onnx_export.export_onnx(model4, os.path.join(config.RESULTS_DIR, "onnx"), class_names,
                                                   validation_accuracy=validation_accuracy,
                                                   test_accuracy=test_accuracy)
    print(f"Wrote {config.shown_path(onnx_path)} ({os.path.getsize(onnx_path) / 1e6:.1f} MB)")
    print(onnx_export.check_onnx(model4, onnx_path, images[:32]))
except onnx_export.OnnxExportError as error:
    print(f"No ONNX export here: {error}")

# %% [markdown]
# ## Try it on your own photo {#try-it}
#
# Choose a photo (or drop one, or take one with your phone): the model runs in this page, in
# your browser, and the photo never leaves your machine. The first photo loads the model and
# its runtime, over 20 MB; after that each photo takes a fraction of a second. The photo is
# squashed to 160×160, as in training, and you see it as the model does.

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
# notebooks, as they were measured (for models 1–3, the seed-42 run of each post), next to the
# accuracy this series aimed for.
