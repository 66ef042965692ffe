"""catsdogs: the code that the posts of the "Cats vs. dogs" series share.

Each function is written once, here, and shown in the post that explains it; later posts import it:

- `catsdogs.config`: the settings every post uses (image size, batch size, seed; quick mode and folders,
  read from the environment each time they are used).
- `catsdogs.errors`: `CatsDogsError`, a problem the reader can fix, with a message that says how.
- `catsdogs.data`: download and check the photos, the fixed train / validation / test split, the input pipeline.
- `catsdogs.results`: the records of a run (one writer, one reader), which epochs count, the floors.
- `catsdogs.models`: model1's layers, augmentation, the preprocessor, MobileNetV2, the training recipe and
  runs with other seeds.
- `catsdogs.report`: learning curves, printed summaries, verdicts and comparisons (it only displays).
- `catsdogs.stats`: confidence intervals and exact tests (Wilson, Fisher, McNemar).
- `catsdogs.cam`: class activation maps (CAM, Grad-CAM): where in a photo a model found its evidence.
- `catsdogs.map_drawing`: a map drawn over its photo, with its colour bar.
- `catsdogs.photos`: classify photos of your own (post 07).
- `catsdogs.onnx_export`: export the final model to ONNX for the in-browser classifier of post 07.

In Colab the first cell of each post installs it from the series' repository at the commit that
produced the post's outputs (`pip install git+https://github.com/OWNER/REPO@COMMIT`, written by
`make series`); it declares no dependencies, so Colab's TensorFlow, Keras and NumPy stay as they are.

The modules that need TensorFlow (data, models, cam, map_drawing, photos, onnx_export) start it without the C++ messages it
prints on a machine without a GPU (`config.import_tensorflow_quietly`); nothing else about the
process changes. `catsdogs.results` and `catsdogs.stats` need no TensorFlow.
"""

__version__ = "2.0.0"  # the package's own version (pip shows it); the posts install a commit, not a version
