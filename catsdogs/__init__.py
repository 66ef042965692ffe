"""catsdogs: the code that the posts of the "Cats vs. dogs" series share.

Each function is written once, here, and shown in the post that explains it; later posts import it:

- `catsdogs.config`: the settings every post uses (image size, batch size, seed; quick mode and folders,
  read from the environment each time they are used).
- `catsdogs.errors`: `CatsDogsError`, a problem the reader can fix, with a message that says how.
- `catsdogs.data`: download and check the photos, the fixed train / validation / test split, the input pipeline.
- `catsdogs.results`: the results contract: which epochs count, where results are kept, the floors.
- `catsdogs.models`: model1's layers, augmentation, the preprocessor, MobileNetV2, the training recipe and
  runs with other seeds.
- `catsdogs.report`: learning curves, printed summaries, verdicts and comparisons (it only displays).
- `catsdogs.stats`: confidence intervals and exact tests (Wilson, Fisher, McNemar).
- `catsdogs.cam`: class activation maps (CAM, Grad-CAM): where in a photo a model found its evidence.
- `catsdogs.photos`: classify photos of your own.
- `catsdogs.onnx_export`: export the final model to ONNX for the in-browser classifier of post 06.

In Colab the first cell of each post installs it from the series' repository, at the tag of this version
(`pip install git+https://github.com/OWNER/REPO@vX.Y.Z`);
it declares no dependencies, so Colab's TensorFlow, Keras and NumPy stay as they are.
"""

__version__ = "1.2.0"  # the posts install this version (git tag v1.2.0); raise it when the code changes
