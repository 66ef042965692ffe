"""The class activation maps of catsdogs/cam.py, on real photos of the test split.

- model4's map is exact: its mean over the 5x5 positions plus the dense layer's bias is the logit
  that model4.predict gives (within 1e-4), for both classes;
- Grad-CAM at model4's last convolution (MobileNetV2's output) is its CAM divided by 25
  (correlation >= 0.99 per photo, and the factor itself);
- on a small model whose answer depends only on the left half of the image, HiResCAM puts all
  its evidence in the left half (not the top half: a transposed map fails), for a Sequential
  and a functional model, while Grad-CAM also marks the right half (its channel weights are
  averages over all positions), as catsdogs.cam says; HiResCAM splits a model1-like model's
  logit exactly among the positions (sum + bias = logit);
- heads for which the CAM is not exact are refused with a clear message;
- training (the series' recipe) moves only the difference of the two classes' dense weights,
  as catsdogs.cam's docstring says (so a single class's map holds an untrained part).

The model is model4 in quick mode (ImageNet MobileNetV2 and an untrained head, as
tests/test_widget.py uses), so the tests are fast; the maps' identities hold for any weights.
Runs on Keras 3 and on Keras 2 (TensorFlow 2.15).
"""

from __future__ import annotations

import numpy as np
import pytest

from widget_harness import SHARES_THE_QUICK_MODEL4, quick_model4, split_photos

pytestmark = SHARES_THE_QUICK_MODEL4

LOGIT_TOLERANCE = 1e-4
MIN_CORRELATION = 0.99
N_PHOTOS = 12  # photos of the test split used here (half cats, half dogs)


@pytest.fixture(scope="module")
def model4():
    return quick_model4()


@pytest.fixture(scope="module")
def images():
    return np.stack([pixels for _, pixels in split_photos()[:N_PHOTOS // 2]]
                    + [pixels for _, pixels in split_photos()[-(N_PHOTOS // 2):]]).astype(np.float32)


def test_map_mean_plus_bias_is_the_logit(model4, images):
    from catsdogs import cam

    maps = cam.class_maps(model4, images)
    assert maps.shape == (N_PHOTOS, 5, 5, 2), maps.shape
    logits = model4.predict(images, verbose=0)
    from_maps = maps.mean(axis=(1, 2)) + cam.dense_bias(model4)
    difference = np.abs(from_maps - logits).max()
    print(f"{N_PHOTOS} photos: largest |map mean + bias - logit| = {difference:.1e}")
    assert difference < LOGIT_TOLERANCE, f"the map does not add up to the logits: {from_maps} vs {logits}"
    assert np.abs(maps).max() > 100 * LOGIT_TOLERANCE, "maps of (almost) zeros would pass trivially"
    # The difference map alone gives the difference of the logits, which sets the probabilities.
    bias = cam.dense_bias(model4)
    logit_gap = cam.evidence_for(maps, 1).mean(axis=(1, 2)) + bias[1] - bias[0]
    assert np.abs(logit_gap - (logits[:, 1] - logits[:, 0])).max() < LOGIT_TOLERANCE


def test_grad_cam_at_the_last_convolution_is_the_cam(model4, images):
    from catsdogs import cam

    layer = cam.last_feature_map_layer(model4)
    assert layer == "base_model_layer", f"model4's last convolution should be MobileNetV2's output, not {layer}"
    maps = cam.class_maps(model4, images)
    for class_index in (0, 1):
        gradcam = cam.grad_cam(model4, images, class_index, layer)
        assert gradcam.shape == (N_PHOTOS, 5, 5)
        for photo in range(N_PHOTOS):
            correlation = np.corrcoef(gradcam[photo].ravel(), maps[photo, ..., class_index].ravel())[0, 1]
            assert correlation >= MIN_CORRELATION, f"photo {photo}, class {class_index}: correlation {correlation:.3f}"
        # Global average pooling over 5x5 positions: the gradient is the dense weight divided by 25.
        np.testing.assert_allclose(gradcam * 25, maps[..., class_index], atol=1e-4, rtol=1e-4)
    versus = cam.grad_cam(model4, images, 1, layer, versus=0)
    np.testing.assert_allclose(versus * 25, cam.evidence_for(maps, 1), atol=1e-4, rtol=1e-4)
    hires = cam.hires_cam(model4, images, 1, layer, versus=0)  # the same for an averaging head
    np.testing.assert_allclose(hires * 25, cam.evidence_for(maps, 1), atol=1e-4, rtol=1e-4)


def left_half_models():
    """Two small CNNs (Sequential, functional) on 32x32 images whose logits depend only on the
    left half of the image: the convolution's output is cropped to its left 16 columns."""
    import keras

    keras.utils.set_random_seed(3)

    def layers():
        return [keras.layers.Conv2D(8, 3, padding="same", activation="relu", name="conv"),
                keras.layers.Cropping2D(((0, 0), (0, 16)), name="left_half"),
                keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2)]

    sequential = keras.Sequential([keras.Input((32, 32, 3)), *layers()], name="left_sequential")
    image = keras.Input((32, 32, 3))
    x = image
    for layer in layers():
        x = layer(x)
    functional = keras.Model(image, x, name="left_functional")
    return sequential, functional


@pytest.mark.parametrize("kind", [0, 1], ids=["sequential", "functional"])
def test_evidence_where_the_answer_depends_on_it(kind):
    from catsdogs import cam

    model = left_half_models()[kind]
    images = np.random.default_rng(0).uniform(0, 1, (4, 32, 32, 3)).astype(np.float32)
    for class_index in (0, 1):
        maps = np.abs(cam.hires_cam(model, images, class_index, "conv"))
        assert maps.shape == (4, 32, 32)
        left, right = maps[:, :, :16].sum(axis=(1, 2)), maps[:, :, 16:].sum(axis=(1, 2))
        top, bottom = maps[:, :16, :].sum(axis=(1, 2)), maps[:, 16:, :].sum(axis=(1, 2))
        assert (left > 0).all() and (right == 0).all(), f"evidence outside the left half: {left} vs {right}"
        assert (np.minimum(top, bottom) > 0.2 * (top + bottom)).all(), "the map is transposed: evidence in one row half"
        # Grad-CAM weights each channel by its gradient averaged over all positions, so the
        # right half, which holds the same kind of features, gets evidence too.
        gradcam = np.abs(cam.grad_cam(model, images, class_index, "conv"))
        assert (gradcam[:, :, 16:].sum(axis=(1, 2)) > 0.2 * gradcam.sum(axis=(1, 2))).all()


def test_hires_cam_splits_a_flattening_head_exactly():
    """model1's head flattens its last 5x5 feature map into a dense layer: the map at that
    layer sums, with the bias, to the logit."""
    import keras

    from catsdogs import cam
    from catsdogs.config import IMAGE_SIZE
    from catsdogs.models import cnn_layers

    keras.utils.set_random_seed(4)
    model1 = keras.Sequential([keras.Input(IMAGE_SIZE + (3,)), *cnn_layers()], name="model1")
    images = np.stack([pixels for _, pixels in split_photos()[:4]]).astype(np.float32)
    layer = cam.last_feature_map_layer(model1)
    assert tuple(model1.get_layer(layer).output.shape[1:3]) == (5, 5), layer
    logits = model1.predict(images, verbose=0)
    bias = model1.layers[-1].get_weights()[1]
    for class_index in (0, 1):
        maps = cam.hires_cam(model1, images, class_index, layer)
        np.testing.assert_allclose(maps.sum(axis=(1, 2)) + bias[class_index], logits[:, class_index],
                                   atol=LOGIT_TOLERANCE * max(1.0, np.abs(logits).max()), rtol=0)


def test_other_heads_are_refused_clearly():
    import keras

    from catsdogs import cam

    flatten_head = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                                     keras.layers.Dense(2)], name="flatten_head")
    with pytest.raises(ValueError, match="0 GlobalAveragePooling2D layers"):
        cam.class_maps(flatten_head, np.zeros((1, 32, 32, 3), np.float32))
    relu_head = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Conv2D(4, 3),
                                  keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(2)], name="relu_head")
    with pytest.raises(ValueError, match="exact only for dropout layers and one Dense layer"):
        cam.split_model4(relu_head)
    with pytest.raises(ValueError, match="no top-level layer 'nope'"):
        cam.grad_cam(relu_head, np.zeros((1, 32, 32, 3), np.float32), 0, layer_name="nope")


def test_upsample_and_overlay():
    """The display helpers: bilinear enlargement keeps a constant map constant and the sign
    picks the class colour; the opacity grows with the evidence up to the scale."""
    from catsdogs import cam, map_drawing

    constant = cam.upsample(np.full((5, 5), 2.0))
    assert constant.shape == (160, 160) and np.allclose(constant, 2.0)
    rgba = map_drawing.overlay_rgba(np.array([[-2.0, -0.5, 0.0, 0.5, 4.0]]), scale=1.0)
    assert np.allclose(rgba[0, 0, :3], map_drawing.hex_to_rgb(map_drawing.CLASS_COLOURS[0]))
    assert np.allclose(rgba[0, 4, :3], map_drawing.hex_to_rgb(map_drawing.CLASS_COLOURS[1]))
    assert np.allclose(rgba[0, :, 3], map_drawing.MAP_OPACITY * np.array([1, 0.5, 0, 0.5, 1]))


def test_training_moves_only_the_difference_of_the_class_weights():
    """What catsdogs.cam's docstring says about a single class's map: with two classes, the
    gradients of the two logits are opposite, so the series' recipe (Adam, cross-entropy on
    the logits) changes W[:, 1] - W[:, 0] and leaves W[:, 0] + W[:, 1] where it started."""
    import keras
    import tensorflow as tf

    from catsdogs.models import build_model4, compile_model, load_base_model

    keras.utils.set_random_seed(5)
    model4 = build_model4(load_base_model())
    kernel_before = model4.layers[-1].get_weights()[0].copy()
    photos = split_photos()[:4] + split_photos()[-4:]
    images = np.stack([pixels for _, pixels in photos]).astype(np.float32)
    labels = np.array([0] * 4 + [1] * 4)
    train_data = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)
    compile_model(model4, train_data, epochs=2)
    model4.fit(train_data, epochs=2, verbose=0, shuffle=False)
    kernel_after = model4.layers[-1].get_weights()[0]
    moved = np.abs((kernel_after[:, 1] - kernel_after[:, 0]) - (kernel_before[:, 1] - kernel_before[:, 0])).max()
    sum_moved = np.abs(kernel_after.sum(axis=1) - kernel_before.sum(axis=1)).max()
    print(f"after 4 steps: difference of the class weights moved by up to {moved:.1e}, their sum by {sum_moved:.1e}")
    assert moved > 1e-4, "training did not change the head: the test would pass trivially"
    assert sum_moved < 1e-6 * max(1.0, np.abs(kernel_before).max()), f"the sum of the class weights moved by {sum_moved}"
