"""A new head on model4's features, trained in NumPy: the Python twin of post 05's trainer in the page.

Post 05 shows that MobileNetV2's features are good enough for a tiny head trained on our photos.
The page lets a reader train such a head on photos of their own, in the browser, and
``posts/widget/head.js`` does there exactly what this module does here, step by step, so the two
give the same probabilities on the same features (the tests check it):

1. A photo's features are the mean over the 5×5 cells of model4's feature map: 1,280 numbers.
2. Each feature is standardised with the mean and standard deviation of the training photos
   (a feature that never varies is left unscaled).
3. The head is a logistic regression: p(second class) = sigmoid(z · w + b), trained from zeros by
   plain gradient descent on the mean cross-entropy plus L2 / 2 · |w|², for STEPS steps. No
   randomness anywhere: the same photos always give the same head.

Because standardising is a linear map, the head is also a linear map of the raw features
(:func:`raw_weights`), so it has a class map exactly like model4's head (post 07): cell (i, j)'s
features times those weights, whose mean plus the bias is the logit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

STEPS = 200
# Gradient descent on this loss never diverges with steps below 2 / (largest curvature); the
# curvature is at most (1/4) · (number of features) + L2 for standardised features (their variances
# sum to the number of features), so with 1,280 features 0.005 is safe for any photos.
LEARNING_RATE = 0.005
L2 = 0.1
PER_CLASS = 20  # sample photos per class that the page offers and post 05 trains on


@dataclass
class Head:
    """A trained head: the standardisation and the logistic regression on top of it."""

    mean: np.ndarray  # [features] of the training photos
    scale: np.ndarray  # [features] their standard deviations (1 where a feature never varies)
    weights: np.ndarray  # [features], on the standardised features
    bias: float
    losses: list = field(default_factory=list)  # loss before each step
    accuracies: list = field(default_factory=list)  # training accuracy before each step


def pooled(feature_maps):
    """Features of each photo: the mean over the cells of feature maps [N, 5, 5, 1280] -> [N, 1280]."""
    return np.asarray(feature_maps, np.float64).mean(axis=(1, 2))


def sigmoid(logits):
    return 1 / (1 + np.exp(-logits))


def train_head(features, labels, steps=STEPS, learning_rate=LEARNING_RATE, l2=L2):
    """A Head trained on `features` [N, 1280] (see pooled) with `labels` (0 or 1 for each photo)."""
    features, labels = np.asarray(features, np.float64), np.asarray(labels, np.float64)
    if len(features) != len(labels) or len(set(labels.tolist())) != 2:
        raise ValueError("train_head needs photos of both classes, with one label (0 or 1) per photo")
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    standardised = (features - mean) / scale
    weights, bias = np.zeros(features.shape[1]), 0.0
    head = Head(mean, scale, weights, bias)
    for _ in range(steps):
        probabilities = sigmoid(standardised @ weights + bias)
        head.losses.append(float(-np.mean(labels * np.log(probabilities) + (1 - labels) * np.log(1 - probabilities))
                                 + l2 / 2 * weights @ weights))
        head.accuracies.append(float(np.mean((probabilities > 0.5) == labels)))
        errors = probabilities - labels
        weights = weights - learning_rate * (standardised.T @ errors / len(labels) + l2 * weights)
        bias = bias - learning_rate * float(np.mean(errors))
    head.weights, head.bias = weights, bias
    return head


def probabilities(head, features):
    """p(second class) for each photo's features [N, 1280]."""
    standardised = (np.asarray(features, np.float64) - head.mean) / head.scale
    return sigmoid(standardised @ head.weights + head.bias)


def raw_weights(head):
    """(weights, bias) of the same head on the raw features: logit = features · weights + bias."""
    weights = head.weights / head.scale
    return weights, head.bias - float(head.mean @ weights)


def class_map(head, feature_map):
    """The head's class map of one photo's feature map [5, 5, 1280] -> [5, 5]: how much each cell adds
    to the logit of the second class (their mean plus raw_weights' bias is the logit)."""
    weights, _ = raw_weights(head)
    return np.asarray(feature_map, np.float64) @ weights


def leave_one_out(features, labels, steps=STEPS):
    """p(second class) of each photo from a head trained on all the other photos: an honest score
    for a handful of photos, where holding some out would leave too few to train on."""
    features, labels = np.asarray(features, np.float64), np.asarray(labels)
    held_out = []
    for index in range(len(features)):
        others = np.arange(len(features)) != index
        head = train_head(features[others], labels[others], steps=steps)
        held_out.append(float(probabilities(head, features[index:index + 1])[0]))
    return np.array(held_out)
