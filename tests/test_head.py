"""catsdogs.head: the head that post 05 trains in NumPy and its trainer in the page trains in JavaScript."""

import numpy as np
import pytest

from catsdogs import head


def toy_photos(count=12, features=6, seed=0):
    """Features of `count` photos: the first feature tells the classes apart, the last never varies."""
    rng = np.random.default_rng(seed)
    labels = np.arange(count) % 2
    values = rng.normal(size=(count, features))
    values[:, 0] += 8 * labels
    values[:, -1] = 7.0
    return values, labels


def test_the_first_step_is_the_gradient_of_the_cross_entropy_at_zero():
    features, labels = toy_photos()
    trained = head.train_head(features, labels, steps=1)
    standardised = (features - features.mean(axis=0)) / np.where(features.std(axis=0) > 0, features.std(axis=0), 1)
    # From zero weights every probability is 0.5, so the step is learning rate × mean of (label - 0.5) × z.
    expected = head.LEARNING_RATE * standardised.T @ (labels - 0.5) / len(labels)
    np.testing.assert_allclose(trained.weights, expected, rtol=1e-12)
    assert trained.losses == [pytest.approx(np.log(2))]
    assert trained.scale[-1] == 1.0  # a feature that never varies is left unscaled


def test_training_lowers_the_loss_and_separates_the_classes():
    features, labels = toy_photos()
    # The learning rate suits 1,280 features; six learn slowly at it, so this takes more steps.
    trained = head.train_head(features, labels, steps=20 * head.STEPS)
    assert len(trained.losses) == 20 * head.STEPS and np.all(np.diff(trained.losses) < 0)
    assert trained.accuracies[-1] == 1.0
    assert np.array_equal(head.probabilities(trained, features) > 0.5, labels == 1)


def test_the_raw_weights_and_the_class_map_give_the_same_logit():
    features, labels = toy_photos()
    trained = head.train_head(features, labels)
    probabilities = head.probabilities(trained, features)
    weights, bias = head.raw_weights(trained)
    np.testing.assert_allclose(features @ weights + bias, np.log(probabilities / (1 - probabilities)), atol=1e-9)
    feature_map = np.random.default_rng(1).normal(size=(5, 5, features.shape[1]))
    logit = np.log(head.probabilities(trained, head.pooled(feature_map[np.newaxis])) /
                   (1 - head.probabilities(trained, head.pooled(feature_map[np.newaxis]))))
    assert head.class_map(trained, feature_map).mean() + bias == pytest.approx(logit[0], abs=1e-9)


def test_leave_one_out_scores_each_photo_with_a_head_that_never_saw_it():
    features, labels = toy_photos()
    held_out = head.leave_one_out(features, labels)
    others = np.arange(len(labels)) != 3
    alone = head.probabilities(head.train_head(features[others], labels[others]), features[3:4])[0]
    assert held_out[3] == pytest.approx(alone, abs=1e-12)
    assert held_out[3] != pytest.approx(head.probabilities(head.train_head(features, labels), features[3:4])[0])


def test_a_head_needs_both_classes():
    features, labels = toy_photos()
    with pytest.raises(ValueError, match="both classes"):
        head.train_head(features[labels == 0], labels[labels == 0])
