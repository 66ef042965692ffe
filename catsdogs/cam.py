"""Class activation maps: where in a photo a model found the evidence for its answer.

A map gives one number per region of the photo: how strongly the features the model computed
there push its answer towards a class. It is read off the model's last feature map, so it is
coarse (5×5 regions for model4's 160×160 input), and it is NOT a segmentation: it does not
outline the animal. A region can carry evidence because of the animal's face, or because of a
cage, a sofa or a hand; the map shows where the evidence lies, not what the model "recognised"
there, and not whether the model is right.

Three kinds of map:

- :func:`class_maps`: the class activation map (CAM, Zhou et al. 2016,
  https://arxiv.org/abs/1512.04150) of model4, exact for its head. model4 ends with global
  average pooling (the mean over the 5×5 positions of MobileNetV2's 1280 features), dropout
  (nothing at inference) and a dense layer (weights ``W``, bias ``b``). Applying the dense
  weights at each position instead of after the mean gives a map per class,
  ``map[i, j, c] = features[i, j, :] @ W[:, c]``; since a mean and a matrix product commute,
  ``mean over (i, j) of map[:, :, c] + b[c]`` *is* logit ``c``, exactly.
- :func:`grad_cam`: Grad-CAM (Selvaraju et al. 2017, https://arxiv.org/abs/1610.02391) for any
  Keras CNN and any of its layers with a 4-D output: each feature channel is weighted by the
  gradient of a class score with respect to it, averaged over the positions. For model4 at
  MobileNetV2's output, that gradient is ``W[:, c] / 25`` everywhere, so Grad-CAM there is
  model4's CAM divided by 25. Unlike the original, we keep the map's sign (no ReLU): negative
  values are evidence against the class.
- :func:`hires_cam`: the same gradients, but multiplied with the features position by
  position (HiResCAM). For a model whose head is not an average (model1 flattens its last
  feature map into a dense layer, with one weight per position), it shows only what the score
  used, and its sum plus the bias is the logit; Grad-CAM does not have that property.

With two classes only the difference of the two logits matters (the softmax of ``(a, b)``
depends on ``a - b`` only), so the map that explains an answer is the difference of the two
class maps: :func:`evidence_for`. Positive values are regions that pushed the answer towards
the class, negative ones towards the other class. (A single class's map also holds a part that
training never changed: the gradients of the two logits are always opposite, so training moves
``W[:, 0] - W[:, 1]`` and leaves ``W[:, 0] + W[:, 1]`` at its random start.)

Drawing a map over its photo: catsdogs.map_drawing.
"""

from __future__ import annotations

from catsdogs import config

config.import_tensorflow_quietly()  # before TensorFlow's first import (see config)
import keras
import numpy as np
import tensorflow as tf

from catsdogs.config import IMAGE_SIZE
from catsdogs.models import AUGMENTATION_NAME


def split_model4(model4):
    """model4's layers in two parts: the feature path (every layer before global average
    pooling, without the augmentation) and the head (pooling, dropout, the dense layer last).

    Raises ValueError when the model does not end with global average pooling, then only
    dropout, then one dense layer: for any other head the class activation map is not exact.
    """
    names = [layer.name for layer in model4.layers]
    pooling = [index for index, layer in enumerate(model4.layers)
               if isinstance(layer, keras.layers.GlobalAveragePooling2D)]
    if len(pooling) != 1:
        raise ValueError(f"{model4.name!r} has {len(pooling)} GlobalAveragePooling2D layers, not one; "
                         f"its layers are {names}. The exact class activation map needs model4's head.")
    head = model4.layers[pooling[0] + 1:]
    if (not head or not isinstance(head[-1], keras.layers.Dense)
            or not all(isinstance(layer, keras.layers.Dropout) for layer in head[:-1])):
        raise ValueError(f"After global average pooling, {model4.name!r} has {names[pooling[0] + 1:]}; "
                         f"the class activation map is exact only for dropout layers and one Dense layer.")
    dense = head[-1]
    if dense.activation not in (None, keras.activations.linear):
        raise ValueError(f"The last layer of {model4.name!r} has an activation; a map needs logits.")
    feature_layers = [layer for layer in model4.layers[:pooling[0]] if layer.name != AUGMENTATION_NAME]
    return feature_layers, model4.layers[pooling[0]:]


def class_map_model(model4):
    """A Keras model from pixels (0-255, 160×160×3) to three outputs: model4's logits [N, 2],
    its class maps [N, 5, 5, 2] (both classes, at the feature map's own resolution), and the
    feature map they are made from [N, 5, 5, 1280] (post 05's trainer in the page fits a new head
    on its mean over the 5×5 cells).

    Built from model4's own layer objects (so it shares their trained weights), without the
    augmentation, which does nothing at inference. The maps come from a dense layer without
    bias that holds a copy of model4's dense weights, taken when this function is called.
    """
    feature_layers, head_layers = split_model4(model4)
    image = keras.Input(shape=IMAGE_SIZE + (3,), name="image")
    features = image
    for layer in feature_layers:
        features = layer(features)
    logits = features
    for layer in head_layers:  # pooling, dropout (nothing at inference), dense
        logits = layer(logits)
    kernel = head_layers[-1].get_weights()[0]
    map_layer = keras.layers.Dense(kernel.shape[1], use_bias=False, name="class_map")
    maps = map_layer(features)
    map_layer.set_weights([kernel])
    return keras.Model(image, [logits, maps, features], name=f"{model4.name}_class_maps")


def class_maps(model4, images, batch_size=32):
    """model4's class activation maps of `images` (pixels 0-255, [N, 160, 160, 3]), as a NumPy
    array [N, 5, 5, 2]: ``maps[n, i, j, c]`` is how much region (i, j) of photo n adds to the
    logit of class c. The mean over (i, j), plus the dense layer's bias, is model4's logit."""
    model = class_map_model(model4)
    images = np.asarray(images, np.float32)
    # Called batch by batch rather than with predict, which would trace a new graph for every
    # new model (and warn about it when this function is called often).
    batches = [model(images[start:start + batch_size], training=False)[1] for start in range(0, len(images), batch_size)]
    return np.concatenate([np.asarray(batch) for batch in batches])


def dense_bias(model4):
    """The bias of model4's final dense layer (one number per class)."""
    return split_model4(model4)[1][-1].get_weights()[1]


def evidence_for(maps, class_index):
    """The evidence for class `class_index` over the other class: the difference of the two
    class maps ([..., 2] -> [...]). Its mean plus the difference of the biases is the difference
    of the two logits, which alone sets the probabilities."""
    maps = np.asarray(maps)
    if maps.shape[-1] != 2:
        raise ValueError(f"evidence_for compares two classes; these maps have {maps.shape[-1]}")
    return maps[..., class_index] - maps[..., 1 - class_index]


def upsample(maps, size=IMAGE_SIZE):
    """Maps [N, h, w] (or one map [h, w]) enlarged to `size` by bilinear interpolation, for
    display over the photo. (The in-browser classifier enlarges its maps the same way.)"""
    maps = np.asarray(maps, np.float32)
    single = maps.ndim == 2
    batch = maps[np.newaxis] if single else maps
    enlarged = tf.image.resize(batch[..., np.newaxis], size, method="bilinear").numpy()[..., 0]
    return enlarged[0] if single else enlarged


def layer_index(model, layer_name):
    """The position of the top-level layer `layer_name` in model.layers (ValueError if absent)."""
    names = [layer.name for layer in model.layers]
    if layer_name not in names:
        raise ValueError(f"{model.name!r} has no top-level layer {layer_name!r}; its layers are {names}")
    return names.index(layer_name)


def last_feature_map_layer(model):
    """The name of the last top-level layer of `model` with a 4-D output [N, h, w, channels]:
    the last feature map before the head. For model4, MobileNetV2's output (after its last
    convolution), 5×5×1280; for model1, its last pooling layer, 5×5×128."""
    names = [layer.name for layer in model.layers if len(layer.output.shape) == 4]
    if not names:
        raise ValueError(f"{model.name!r} has no layer with a 4-D output; give a layer_name")
    return names[-1]


def layer_gradients(model, images, class_index, layer_name=None, versus=None):
    """(features, gradients): the output of the top-level layer `layer_name` (default:
    :func:`last_feature_map_layer`) for `images`, and the gradient of the score with respect to
    it, both [N, h, w, channels]. The score is the logit of `class_index`, minus the logit of
    class `versus` if given. Uses tf.GradientTape, so it runs on Keras 3 and on Keras 2."""
    layer_name = layer_name or last_feature_map_layer(model)
    stop = layer_index(model, layer_name)
    images = tf.convert_to_tensor(np.asarray(images, np.float32))
    with tf.GradientTape() as tape:
        if isinstance(model, keras.Sequential):  # layer by layer (nested models included)
            x = images
            for layer in model.layers[:stop + 1]:
                x = layer(x, training=False)
            features = x
            tape.watch(features)  # frozen layers have no watched variables: watch the output itself
            for layer in model.layers[stop + 1:]:
                x = layer(x, training=False)
            logits = x
        else:
            both = keras.Model(model.inputs, [model.layers[stop].output, model.outputs[0]])
            features, logits = both(images, training=False)
        score = logits[:, class_index]
        if versus is not None:
            score = score - logits[:, versus]
    gradients = tape.gradient(score, features)
    if gradients is None:
        raise ValueError(f"The score of {model.name!r} does not depend on the output of {layer_name!r}")
    return features, gradients


def grad_cam(model, images, class_index, layer_name=None, versus=None):
    """Grad-CAM maps (Selvaraju et al. 2017) of `images` (pixels as the model takes them,
    [N, H, W, 3]) for class `class_index`, at the output of `layer_name` (see
    :func:`layer_gradients`), as a NumPy array [N, h, w].

    Each channel of the layer is weighted by its gradient *averaged over all positions*, and the
    map is the weighted sum of the channels at each position. The sign is kept (the original
    keeps only the positive part). Because of that average, a position the score ignores still
    lights up if it holds the same features as one that counts (tests/test_cam.py shows it on a
    model that looks only at the left half of its image): use :func:`hires_cam` where the map
    must show only what the score used.
    """
    features, gradients = layer_gradients(model, images, class_index, layer_name, versus)
    channel_weights = tf.reduce_mean(gradients, axis=(1, 2))  # [N, channels]
    return tf.einsum("nhwk,nk->nhw", features, channel_weights).numpy()


def hires_cam(model, images, class_index, layer_name=None, versus=None):
    """HiResCAM maps (Draelos and Carin 2020, https://arxiv.org/abs/2011.08891) of `images` for
    class `class_index`, at the output of `layer_name`, as a NumPy array [N, h, w]: at each
    position, the gradient times the layer's output, summed over the channels.

    When every layer after `layer_name` is linear at inference (model1 after its last pooling:
    flatten, dropout, dense; model4 after MobileNetV2: pooling, dropout, dense), the map is an
    exact split of the score: its sum over the positions plus the bias is the logit (minus the
    other logit, with `versus`). For model4 it is the class activation map divided by 25.
    """
    features, gradients = layer_gradients(model, images, class_index, layer_name, versus)
    return tf.reduce_sum(features * gradients, axis=-1).numpy()
