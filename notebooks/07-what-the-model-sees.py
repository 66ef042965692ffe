# ---
# title: "07 · What the model sees, and your own photo"
# description: >-
#   Where in a photo does model4 find its evidence? Class activation maps for its mistakes,
#   model1 against model4, a photo of neither class, and the classifier running in this page
#   on a photo of your own.
# date: 2026-12-05
# categories: [evaluation, in the browser]
# image: ../run/figures/07-what-the-model-sees.png
# image-alt: >-
#   Test photos next to model4's class activation maps: a colour overlay marking where the
#   evidence for cat or for dog lay.
# ---

# %% [markdown]
# Post 06 scored model4 on the test photos and showed every mistake. A score says how often the
# model is right, not where it looks. Here we draw, for each photo, where model4 found its
# evidence for cat or for dog, compare that with model1, which learned from our 2000 photos
# alone, and then use the model on photos of your own: `classify` in the notebook, and a
# classifier that runs in your browser, at the end of this page.

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
from catsdogs import cam, config, data, map_drawing, models, photos, report

# %% [markdown]
# The data of post 01 in one call: the fixed train / validation / test split, through the
# cached input pipeline.

# %%
train, validation, test, class_names = data.load_data()

# %% [markdown]
# ## The model and its answers
#
# Post 05 saved the fine-tuned model4 in the Keras cache. If it is not there (a fresh Colab
# runtime, or post 05 was not run on this machine) or cannot be loaded, we say so and train it
# here with post 05's recipe. Then its answers on the 200 test photos, as in post 06.

# %%
model4, model4_source = models.saved_model4_or_train(train, validation, post="post 07")
print(f"Model: {model4.name}, {model4.count_params():,} parameters, {model4_source}")

# %%
import numpy as np

images, labels, probabilities = models.predict_all(model4, test)
predictions = probabilities.argmax(axis=1)
mistakes = np.flatnonzero(predictions != labels)
print(f"{len(labels) - len(mistakes)} of {len(labels)} test photos right, "
      f"{len(mistakes)} wrong.")

# %% [markdown]
# ## Where the evidence lies: class activation maps
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
# Every mistake of post 06, each photo twice: as the model saw it, and with its map. Above each
# map, how many of its 25 cells favour the true class. Each figure sets its colour scale from its
# own photos' maps (the colour bar below it), so that weak evidence still shows.

# %%
#| fig-alt: "Every misclassified test photo twice, side by side: first plain, titled
#|   with the true class, the model's answer and its confidence; then overlaid with
#|   model4's class activation map, a smooth colour overlay (upsampled from 5x5 cells)
#|   towards cat or dog where the evidence lay, titled with how many cells favour the
#|   true class. A colour bar gives the scale."
import matplotlib.pyplot as plt


def label(index):
    """The name of one member of class `index`: 'cat' or 'dog'."""
    return data.singular(class_names[index])


def show_with_maps(indices, title, columns=3, save_as=None):
    """Each photo plain and with model4's map, titled with the true class and answer;
    the colour scale comes from these photos' maps."""
    photo_scale = map_drawing.map_scale(evidence[np.asarray(indices)])
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
        map_title = f"{for_true} of {evidence[index].size} cells\nfor {label(true)}"
        map_drawing.show_map(axes[row, 2 * column + 1], images[index], evidence[index],
                             photo_scale, title=map_title)
    map_drawing.add_colour_bar(fig, axes, photo_scale, class_names)
    fig.suptitle(title)
    report.save_figure(fig, save_as)
    plt.show()


if len(mistakes) == 0:
    print("No mistakes: model4 classifies every test image correctly.")
else:
    show_with_maps(mistakes, f"The {len(mistakes)} misclassified test images")

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
show_with_maps(correct_sample, "Correctly classified test images (a random sample)",
               save_as="07-what-the-model-sees.png")

# %% [markdown]
# Read each mistake's map. The colour of the wrong answer marks where the evidence for the wrong
# answer lay, the colour of the true class where the evidence for the true class lay. Where the wrong
# colour sits on the animal itself, the features there looked more like the other class;
# where it sits on cage bars, a person, a blanket or the background, the cells over something
# other than the animal carried that evidence (a cell's features can depend on pixels far
# outside its 32×32 square, in principle on the whole photo: its
# [receptive field](https://distill.pub/2019/computing-receptive-fields/), so the map cannot
# tell which pixels produced it). Then look at
# the correctly classified photos: is their evidence on the animal? Keep in mind what the maps
# cannot show: which part of a 32×32-pixel cell mattered, or why.
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
    scale1, scale4 = map_drawing.map_scale(evidence1), map_drawing.map_scale(hires4)
    answers1 = logits1.argmax(axis=1)
    chosen = np.concatenate([mistakes[:3], correct_sample[:3]]).astype(int)
    fig, axes = plt.subplots(len(chosen), 3, figsize=(7.4, 2.1 * len(chosen) + 0.6),
                             squeeze=False, layout="constrained")
    for row, index in zip(axes, chosen):
        row[0].imshow(images[index].astype("uint8"))
        row[0].set_title(f"true: {label(labels[index])}", fontsize=9)
        row[0].axis("off")
        map_drawing.show_map(row[1], images[index], evidence1[index], scale1,
                             title=f"model1: {label(answers1[index])}")
        map_drawing.show_map(row[2], images[index], hires4[index], scale4,
                             title=f"model4: {label(predictions[index])}")
    for column, name, model_scale in ((1, "model1", scale1), (2, "model4", scale4)):
        bar_label = f"{name}:\nwhat a cell adds to\nthe logit difference"
        map_drawing.add_colour_bar(fig, axes[:, column], model_scale, class_names,
                                   label=bar_label)
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
# Compare the two columns photo by photo: where does each model's evidence sit, on the animal
# or elsewhere in the photo, and in the same cells for both? The printed numbers say how concentrated each
# model's evidence is and how alike the two maps of a photo are (a correlation near zero means
# the two maps of a photo are hardly alike); they do not say
# which model is right, and the maps do not say what either model saw. Nor do they say why the
# two differ: model4's features were learned from ImageNet's photos (its top layers then
# fine-tuned on ours) and model1's from our 2000, but the two networks also differ in depth and
# size. (A model whose answer depends
# only on the left half of its image gets all its HiResCAM evidence there and Grad-CAM
# evidence in both halves: `tests/test_cam.py` checks that.)

# %% [markdown]
# ## Real data's mess: the training photos model4 finds hardest
#
# A data set collected from the web holds photos that are hard for a reason a model cannot
# fix: mislabelled ones, photos of two animals, photos where the animal is tiny, hidden or
# drawn. [fastbook's second chapter](https://github.com/fastai/fastbook/blob/master/02_production.ipynb)
# looks for them with the *top losses*: the photos on which the model's loss (minus the
# logarithm of the probability it gives the true class) is largest. Here they are for model4
# on its own training photos (read once, in the input pipeline's fixed order):

# %%
#| fig-alt: "The eight training photos with the largest loss for model4, in a grid,
#|   each titled with its labelled class, model4's answer with its probability, and
#|   the loss."
training_images = data.prepare(data.load_splits(data.find_data())[0])  # one fixed order
train_images, train_labels, train_probabilities = models.predict_all(model4,
                                                                    training_images)
losses = -np.log(train_probabilities[np.arange(len(train_labels)), train_labels])
hardest = np.argsort(losses)[::-1][:8]
fig, axes = plt.subplots(2, 4, figsize=(9.6, 6), layout="constrained")
for ax, index in zip(axes.flat, hardest):
    answer = train_probabilities[index].argmax()
    ax.imshow(train_images[index].astype("uint8"))
    sure = train_probabilities[index, answer]
    ax.set_title(f"label: {label(train_labels[index])}\nanswer: {label(answer)} "
                 f"({sure:.0%}), loss {losses[index]:.1f}", fontsize=9)
    ax.axis("off")
fig.suptitle(f"The 8 of {len(train_labels)} training photos with the largest loss")
plt.show()
wrong = int(np.sum(train_probabilities.argmax(axis=1) != train_labels))
print(f"model4 answers {wrong} of its {len(train_labels)} training photos wrong.")

# %% [markdown]
# Look at each: is the label right? Is there one animal, and is it the one the label names? Is
# it a photo at all? A model that gets such photos "wrong" may be right, and a wrong label in
# the validation or test photos costs points that no model can win back. The remedy fastbook
# suggests is to look at these photos and fix or remove the bad ones before training again; we
# leave the data as it is, so the numbers stay comparable with the tutorials that use it.

# %% [markdown]
# ## Classify your own photo
#
# `classify` takes a list of image files (in any format TensorFlow's decoder reads: post 01
# prints the list that the reader's TensorFlow gives; any size; colour, grayscale or
# with an alpha channel), decodes and resizes them exactly as `image_dataset_from_directory` did
# for training (three colour channels, bilinear resize to 160×160; the preprocessor inside the
# model does the rest), and prints the answer with its probability. A file that is missing, or
# that TensorFlow cannot decode, gets a message that says why and what to do, and the others are
# still classified. A phone's HEIC photo is one such file (HEIC is not in post 01's list): save
# or share it as JPEG first.

# %%
report.show_source(photos.load_photo, photos.classify, photos.decoding_problem)

# %%
test_files = data.load_splits(data.find_data())[2].file_paths
photos.classify(model4, test_files[:4], class_names)

# %% [markdown]
# The file names say the true class, so you can check each answer; a photo answered with the
# other class is one of model4's test mistakes that post 06 showed. And what happens with a file that is
# not a photo, or a path that does not exist:

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
# ## A photo of neither
#
# What does model4 answer for a photo that shows neither a cat nor a dog? Four sample photos
# that come with [scikit-image](https://scikit-image.org/docs/stable/api/skimage.data.html) (an
# astronaut, a cup of coffee, a rocket, a patch of the night sky), and one of a cat from the
# same package, to check that its photos work at all, squashed to 160×160 like ours:

# %%
#| fig-alt: "Five photos in a row, an astronaut, a cup of coffee, a rocket, the night
#|   sky and a cat, each titled with model4's answer, cat or dog, and its probability."
import skimage.data
import tensorflow as tf

names = ["astronaut", "coffee", "rocket", "hubble_deep_field", "chelsea"]
samples = {name: getattr(skimage.data, name)() for name in names}
squashed = np.stack([tf.image.resize(photo, config.IMAGE_SIZE).numpy()
                     for photo in samples.values()])
sample_probabilities = tf.nn.softmax(model4.predict(squashed, verbose=0)).numpy()
fig, axes = plt.subplots(1, len(samples), figsize=(2.3 * len(samples), 2.8),
                         layout="constrained")
for ax, name, image, probabilities_of_photo in zip(axes, samples, squashed,
                                                    sample_probabilities):
    answer = probabilities_of_photo.argmax()
    ax.imshow(image.astype("uint8"))
    sure = probabilities_of_photo[answer]
    ax.set_title(f"{name}\nanswer: {label(answer)} ({sure:.0%})", fontsize=9)
    ax.axis("off")
fig.suptitle("model4's answers for photos of neither (and one cat)")
plt.show()
cat_check = sample_probabilities[names.index("chelsea")]
print(f"The check, chelsea the cat: {label(cat_check.argmax())} "
      f"({cat_check.max():.0%}).")

# %% [markdown]
# A two-class model has no answer "neither": softmax makes its two probabilities add up to 1,
# so it names one of the two classes, whichever gets the larger logit, and nothing stops the
# gap between the two logits from being large (the titles above show how sure it was). A model trained with a third
# class ("something else"), or a separate check of how unusual the photo is, are two ways to say
# "not a pet"; this post tries neither. The classifier at the end of this page is the same
# model, so it too answers cat or dog for any photo.

# %% [markdown]
# To try your own photos in Colab, upload them with the file browser on the left and call
# `photos.classify(model4, ["your-photo.jpg"])`.
#
# ## Export for the browser
#
# The classifier at the end of this page runs model4 in your browser with
# [ONNX Runtime Web](https://onnxruntime.ai/docs/tutorials/web/). ONNX is a file format for
# trained networks that many runtimes read. We export only the *inference* path: the
# augmentation layers are switched off at inference anyway, and tf2onnx, the converter (1.17.0,
# the version the series pins), has no conversion for the TensorFlow operations they use (`StatelessRandomUniformV2` for the random
# numbers, `ImageProjectiveTransformV3` for the rotation; see
# [onnx/tensorflow-onnx#2395](https://github.com/onnx/tensorflow-onnx/issues/2395)), so the
# exported file would be one that ONNX Runtime refuses to load. The exported network has three
# outputs: the two logits; model4's class maps at 5×5, which the page draws over your photo;
# and the 5×5×1280 feature map under them, from which post 05's trainer in the page computes
# each photo's features.
#
# A phone should not wait long for the model, so the file stores most of its weights in 8 bits
# (one scale per output channel; the small ones in 16) instead of 32, which makes the file much smaller (its size is
# printed below; `model4.json` records the 32-bit file's size too) and changes its logits a
# little. So the export checks twice, on the 1000 validation and test photos, and refuses
# (deletes) a file that fails, with an error that says why: first the full-precision file must
# give Keras's logits and maps, then the compact file must give the same class as Keras for nearly
# every photo and nearly the same accuracy (the printed check says how close, and its limits).
# (This needs Keras 3 and the packages `tf2onnx`, `onnx` and `onnxruntime`; where they are
# missing, the cell says so and the rest of the post is unaffected.)

# %%
from catsdogs import onnx_export

check_images = np.concatenate([images, *(batch for batch, _ in validation)])
check_labels = np.concatenate([labels, *(batch for _, batch in validation)])
try:  # the export checks the written files, and refuses a wrong one
    export = onnx_export.export_onnx(model4, os.path.join(config.results_dir(), "onnx"),
                                     class_names, check_images, labels=check_labels)
    size = os.path.getsize(export.onnx_path) / 1e6
    print(f"Wrote {config.shown_path(export.onnx_path)} ({size:.1f} MB),\n"
          "with the class maps and the feature map as its second and third outputs.\n"
          f"First, the full-precision file: {export.float_check}\n{export.check}")
except onnx_export.OnnxExportError as error:
    print(f"No ONNX export here: {error}")

# %% [markdown]
# ## Try it on your own photo {#try-it}
#
# Choose a photo (or drop one, or take one with your phone): the model runs in this page, in
# your browser, and the photo never leaves your machine. The first photo downloads the model
# (its size is printed above) and its runtime; later photos are quicker. It takes the image
# formats your browser can decode (which ones depends on the browser), while `classify` takes
# those TensorFlow decodes. The photo is squashed to 160×160, as in training, but by your
# browser's own image scaling rather than TensorFlow's bilinear resize, so the answer for the
# same photo can differ a little from `classify`'s; you see the photo as the model does. The
# browser also turns a phone photo upright, as its camera recorded (EXIF orientation; see
# [`createImageBitmap`](https://developer.mozilla.org/en-US/docs/Web/API/Window/createImageBitmap)'s
# `imageOrientation`, which does so by default), which
# TensorFlow's decoder does not (a long-standing request,
# [tensorflow/tensorflow#33932](https://github.com/tensorflow/tensorflow/issues/33932), was
# answered with a way to read the orientation, not apply it): a photo taken in
# portrait can reach `classify` on its side, far beyond the small rotations of training, and get
# a different answer there than here. Over
# your photo, colour marks where the model found its evidence for cat or for dog, as in the
# maps above; the checkbox hides it.

# %% [raw]
# <link rel="stylesheet" href="widget/classifier.css">
# <div class="cdc" data-model="../run/model4.onnx" data-metadata="../run/model4.json">
# <p>The photo classifier needs JavaScript (and WebAssembly): turn them on to try it.</p>
# </div>
# <script type="module" src="widget/classifier.js"></script>

# %% [markdown]
# ## What you learned
#
# A class activation map shows where in a photo a model found its evidence: for model4, whose
# dense layer weighs an average of 5×5 positions, the map's cells add up exactly to the logit
# difference minus the difference of the two biases (the check above prints how exactly). Grad-CAM and HiResCAM extend the idea to any
# CNN, such as model1. For model1, only HiResCAM's cells add up to the logit difference, biases
# removed (the check above prints how far Grad-CAM's are from it). A map says where, in coarse cells, not what the model saw there or why,
# and a clear map does not make an answer right. A two-class model always names one of its two
# classes, even for a photo of neither. And a trained model can leave the notebook: exported
# to ONNX, checked against Keras on the 800 validation and 200 test photos, it runs in a web
# page. What this post's experiments showed, from the cells above:

# %%
if model1 is not None:
    print("How alike are model1's and model4's maps of the same test photo? Median "
          f"correlation\n{np.median(correlations):.2f} "
          "(1: the same map; 0: no relation).")
print("Photos of neither class still get an answer:")
for photo, answers in zip(names[:-1], sample_probabilities[:-1]):
    print(f"  {photo}: {label(answers.argmax())} ({answers.max():.0%})")

# %% [markdown]
# ## Questions
#
# 1. Why does model4 answer "dog" or "cat" for a photo of an astronaut?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# A two-class model has no answer "neither": softmax makes its two probabilities add up to 1, so
# it names one of the two classes, whichever gets the larger logit, and can be confident about
# it, as with the sample photos above.
# :::
#
# 2. Why does the ONNX export leave out the augmentation layers?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# They do nothing at inference, and tf2onnx has no conversion for the TensorFlow operations
# they use (`StatelessRandomUniformV2`, `ImageProjectiveTransformV3`), so the exported file
# would not load in ONNX Runtime.
# :::
#
#
# 3. Why is model4's class activation map exact (its cells add up to the logit difference,
#    minus the difference of the biases), while for model1 we need gradients?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# model4 averages its last feature map over the 5×5 positions and then weighs the averages with
# its dense layer; both steps are linear, so they can be swapped: weigh first, and the average of
# the weighed positions is the logit (minus the bias). model1 flattens its feature map into a
# dense layer with a separate weight for every position and feature, so there is no average to
# swap with; HiResCAM multiplies the gradient of the logit difference with respect to each
# position's features by those features and sums over the features, which recovers each
# position's share (its sum over the positions plus the biases' difference is the logit
# difference).
# :::
#
# 4. Why look at the training photos with the largest loss, and what can you do about what you
#    find there?
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# The loss is largest where the model gives the labelled class the lowest probability: there
# the model and the label disagree most. Some of those photos are simply hard, but some are
# wrongly labelled, show two animals or show something else, and no model can be right about
# them. Looking at them tells you about the data, not only the model; you can then fix or
# remove the bad ones and train again (this series leaves the data as it is, so that its numbers
# stay comparable with the tutorials that use it).
# :::
#
# ### Try it
#
# These change the code; run them after the first two code cells of this post (the setup
# and the data).
#
# 5. Which test photo is model4 least sure about? Find it, draw its class activation map, and
#    print its two probabilities.
#
# ::: {.callout-tip collapse="true"}
# ## Answer
#
# ```python
# import matplotlib.pyplot as plt
# import numpy as np
#
# model4, problem = models.load_saved_model("model4")
# if model4 is None:  # post 05 has not run here: train it with post 05's recipe
#     print(problem)
#     model4 = models.train_model4(train, validation)
# images, labels, probabilities = models.predict_all(model4, test)
# least_sure = int(np.argmin(probabilities.max(axis=1)))
# evidence = cam.evidence_for(cam.class_maps(model4, images[least_sure:least_sure + 1]), 1)
# evidence = evidence / evidence[0].size  # what each cell adds to the logit difference
# fig, ax = plt.subplots(figsize=(4, 4))
# map_drawing.show_map(ax, images[least_sure], evidence[0], map_drawing.map_scale(evidence),
#                      title=f"true: {data.singular(class_names[labels[least_sure]])}")
# plt.show()
# print(dict(zip(class_names, probabilities[least_sure].round(3))))
# ```
#
# Its two probabilities are the closest to 50/50 of all the test photos. Its map shows where
# the evidence for each class lay; for a photo the model is unsure about, expect cells of both
# colours.
# :::
