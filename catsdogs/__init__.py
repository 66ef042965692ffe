"""catsdogs: the code that the posts of the "Cats vs. dogs" series share.

Each function is written once, here, and shown in the post that explains it; later posts import it:

- `catsdogs.config`: the settings every post uses (image size, batch size, seed, quick mode, folders).
- `catsdogs.data`: download and check the photos, the fixed train / validation / test split, the input pipeline.
- `catsdogs.models`: model1's layers, augmentation, the preprocessor, MobileNetV2 and the training recipe.
- `catsdogs.report`: one-line-per-epoch training logs, learning curves, printed summaries and comparisons.
- `catsdogs.photos`: classify photos of your own.
- `catsdogs.onnx_export`: export the final model to ONNX for the in-browser classifier of post 06.

In Colab the first cell of each post installs it from the series' repository (`pip install git+https://github.com/OWNER/REPO`);
it declares no dependencies, so Colab's TensorFlow, Keras and NumPy stay as they are.
"""

__version__ = "1.0.0"
