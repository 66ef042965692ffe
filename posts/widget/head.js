// A new head on model4's features, trained in the page: the JavaScript twin of catsdogs/head.py.
//
// Post 05 shows that MobileNetV2's features are good enough for a tiny head trained on our photos.
// Its trainer (trainer.js) lets a reader train such a head on photos of their own, in the browser,
// and this module does there exactly what catsdogs/head.py does in NumPy, step by step and with
// the same names, so the two give the same probabilities on the same features (tests/test_trainer.py
// checks it, and that the constants below equal head.py's):
//
// 1. A photo's features are the mean over the 5×5 cells of model4's feature map: 1,280 numbers.
// 2. Each feature is standardised with the mean and standard deviation of the training photos
//    (a feature that never varies is left unscaled).
// 3. The head is a logistic regression: p(second class) = sigmoid(z · w + b), trained from zeros by
//    plain gradient descent on the mean cross-entropy plus L2 / 2 · |w|², for STEPS steps. No
//    randomness anywhere: the same photos always give the same head.
//
// Because standardising is a linear map, the head is also a linear map of the raw features
// (rawWeights), so it has a class map exactly like model4's head (post 07): cell (i, j)'s
// features times those weights, whose mean plus the bias is the logit.
//
// Plain numbers (64-bit floats, as NumPy's float64) and plain loops; no DOM, so node runs it too.
// A photo's features are an array (or Float64Array) of 1,280 numbers; `features` is a list of them.

export const STEPS = 200;
// Gradient descent on this loss never diverges with steps below 2 / (largest curvature); the
// curvature is at most (1/4) · (number of features) + L2 for standardised features (their variances
// sum to the number of features), so with 1,280 features 0.005 is safe for any photos.
export const LEARNING_RATE = 0.005;
export const L2 = 0.1;
export const PER_CLASS = 20; // sample photos per class that the page offers and post 05 trains on

// Features of one photo: the mean over the cells of its feature map, given flat as
// [cells × channels] (model4's output for one photo, [5, 5, 1280]) -> [channels].
export function pooled(featureMap, channels) {
  const cells = featureMap.length / channels;
  const features = new Float64Array(channels);
  for (let cell = 0; cell < cells; cell++) {
    for (let channel = 0; channel < channels; channel++) features[channel] += featureMap[cell * channels + channel];
  }
  for (let channel = 0; channel < channels; channel++) features[channel] /= cells;
  return features;
}

export function sigmoid(logit) {
  return 1 / (1 + Math.exp(-logit));
}

function dot(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

// mean = features.mean(axis=0); scale = features.std(axis=0), 1 where it is 0
function standardisation(features) {
  const count = features.length;
  const size = features[0].length;
  const mean = new Float64Array(size);
  for (const photo of features) for (let j = 0; j < size; j++) mean[j] += photo[j];
  for (let j = 0; j < size; j++) mean[j] /= count;
  const scale = new Float64Array(size);
  for (const photo of features) for (let j = 0; j < size; j++) scale[j] += (photo[j] - mean[j]) ** 2;
  for (let j = 0; j < size; j++) {
    scale[j] = Math.sqrt(scale[j] / count);
    if (!(scale[j] > 0)) scale[j] = 1;
  }
  return { mean, scale };
}

// A head trained on `features` (see pooled) with `labels` (0 or 1 for each photo):
// {mean, scale, weights, bias, losses, accuracies}; losses and accuracies before each step.
export function trainHead(features, labels, steps = STEPS, learningRate = LEARNING_RATE, l2 = L2) {
  const training = trainingSteps(features, labels, steps, learningRate, l2);
  for (;;) {
    const { done, value } = training.next();
    if (done) return value;
  }
}

// trainHead, one step at a time: a generator that yields the step's number after each step and
// returns the head (the page pauses between steps now and then, so that it stays responsive).
export function* trainingSteps(features, labels, steps = STEPS, learningRate = LEARNING_RATE, l2 = L2) {
  if (features.length !== labels.length || new Set(labels).size !== 2 || labels.some((label) => label !== 0 && label !== 1)) {
    throw new Error("train_head needs photos of both classes, with one label (0 or 1) per photo");
  }
  const count = features.length;
  const size = features[0].length;
  const { mean, scale } = standardisation(features);
  // standardised = (features - mean) / scale, one photo after another in one flat array
  const standardised = new Float64Array(count * size);
  features.forEach((photo, i) => {
    for (let j = 0; j < size; j++) standardised[i * size + j] = (photo[j] - mean[j]) / scale[j];
  });
  const weights = new Float64Array(size);
  let bias = 0;
  const losses = [];
  const accuracies = [];
  const probabilities = new Float64Array(count);
  const errors = new Float64Array(count);
  const gradient = new Float64Array(size);
  for (let step = 0; step < steps; step++) {
    // probabilities = sigmoid(standardised @ weights + bias)
    for (let i = 0; i < count; i++) {
      let logit = 0;
      for (let j = 0, k = i * size; j < size; j++, k++) logit += standardised[k] * weights[j];
      probabilities[i] = sigmoid(logit + bias);
    }
    let crossEntropy = 0;
    let right = 0;
    for (let i = 0; i < count; i++) {
      crossEntropy += labels[i] * Math.log(probabilities[i]) + (1 - labels[i]) * Math.log(1 - probabilities[i]);
      right += Number((probabilities[i] > 0.5) === (labels[i] === 1));
      errors[i] = probabilities[i] - labels[i];
    }
    losses.push(-crossEntropy / count + l2 / 2 * dot(weights, weights));
    accuracies.push(right / count);
    // weights = weights - learning_rate * (standardised.T @ errors / len(labels) + l2 * weights)
    gradient.fill(0);
    for (let i = 0; i < count; i++) {
      const error = errors[i];
      for (let j = 0, k = i * size; j < size; j++, k++) gradient[j] += standardised[k] * error;
    }
    for (let j = 0; j < size; j++) weights[j] -= learningRate * (gradient[j] / count + l2 * weights[j]);
    let errorSum = 0;
    for (let i = 0; i < count; i++) errorSum += errors[i];
    bias -= learningRate * (errorSum / count);
    yield step;
  }
  return { mean, scale, weights, bias, losses, accuracies };
}

// p(second class) for each photo's features.
export function probabilities(head, features) {
  return features.map((photo) => {
    let logit = head.bias;
    for (let j = 0; j < photo.length; j++) logit += (photo[j] - head.mean[j]) / head.scale[j] * head.weights[j];
    return sigmoid(logit);
  });
}

// {weights, bias} of the same head on the raw features: logit = features · weights + bias.
export function rawWeights(head) {
  const weights = Float64Array.from(head.weights, (weight, j) => weight / head.scale[j]);
  return { weights, bias: head.bias - dot(head.mean, weights) };
}

// The head's class map of one photo's feature map, flat [cells × channels] -> [cells]: how much
// each cell adds to the logit of the second class (their mean plus rawWeights' bias is the logit).
export function classMap(head, featureMap) {
  const { weights } = rawWeights(head);
  const channels = weights.length;
  const cells = featureMap.length / channels;
  const map = new Float64Array(cells);
  for (let cell = 0; cell < cells; cell++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += featureMap[cell * channels + channel] * weights[channel];
    map[cell] = sum;
  }
  return map;
}

// p(second class) of photo `index` from a head trained on all the other photos: one fold of
// leaveOneOut (the page runs the folds one by one, so that it stays responsive in between).
//
// The same head as trainHead(others) gives, the same steps from the same zeros, but computed
// 30 times faster (the page runs 40 folds), thanks to one fact: every step adds to the weights a
// combination of the photos' standardised features (standardised.T @ errors), and the L2 term
// only shrinks them, so the weights stay such a combination, weights = standardised.T @ alpha, one
// number per photo. Each step then needs only the photos' products with each other (a 39 x 39
// table, computed once) instead of 1,280 numbers per photo:
//   logits = standardised @ weights + bias = table @ alpha + bias
//   weights - lr * (standardised.T @ errors / n + l2 * weights)
//     = standardised.T @ (alpha * (1 - lr * l2) - lr * errors / n)
// tests/test_trainer.py checks that it gives head.py's leave_one_out.
export function heldOut(features, labels, index, steps = STEPS, learningRate = LEARNING_RATE, l2 = L2) {
  const others = (_, other) => other !== index;
  const training = features.filter(others);
  const trainingLabels = labels.filter(others);
  const count = training.length;
  const { mean, scale } = standardisation(training);
  const standardised = training.map((photo) => Float64Array.from(photo, (value, j) => (value - mean[j]) / scale[j]));
  const left = Float64Array.from(features[index], (value, j) => (value - mean[j]) / scale[j]);
  const table = standardised.map(() => new Float64Array(count)); // table[i][k] = standardised[i] · standardised[k]
  for (let i = 0; i < count; i++) {
    for (let k = 0; k <= i; k++) table[i][k] = table[k][i] = dot(standardised[i], standardised[k]);
  }
  const alpha = new Float64Array(count);
  let bias = 0;
  const errors = new Float64Array(count);
  for (let step = 0; step < steps; step++) {
    let errorSum = 0;
    for (let i = 0; i < count; i++) {
      errors[i] = sigmoid(dot(table[i], alpha) + bias) - trainingLabels[i];
      errorSum += errors[i];
    }
    for (let i = 0; i < count; i++) alpha[i] = alpha[i] * (1 - learningRate * l2) - learningRate * errors[i] / count;
    bias -= learningRate * (errorSum / count);
  }
  let logit = bias;
  for (let i = 0; i < count; i++) logit += alpha[i] * dot(standardised[i], left);
  return sigmoid(logit);
}

// p(second class) of each photo from a head trained on all the other photos: an honest score
// for a handful of photos, where holding some out would leave too few to train on.
export function leaveOneOut(features, labels, steps = STEPS) {
  return features.map((_, index) => heldOut(features, labels, index, steps));
}

// The Wilson score interval (95% for z = 1.96) of `correct` right out of `total`, as
// catsdogs.stats.wilson_interval: the true accuracies that this count does not rule out.
export function wilsonInterval(correct, total, z = 1.96) {
  const p = correct / total;
  const centre = (p + z ** 2 / (2 * total)) / (1 + z ** 2 / total);
  const half = z * Math.sqrt(p * (1 - p) / total + z ** 2 / (4 * total ** 2)) / (1 + z ** 2 / total);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
