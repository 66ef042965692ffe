// Train a new head on photos of your own, in your browser (post 05, "A head from 40 photos": the
// raw HTML cell that holds <div class="cdt">). The reader puts photos of two kinds of thing into two
// boxes, presses Train, and the page computes each photo's 1,280 features with model4 (the same
// model4.onnx as the classifier of post 07: its third output is the feature map), trains a
// logistic-regression head on them in plain JavaScript (head.js, the twin of catsdogs/head.py),
// scores it honestly by leave-one-out, and then classifies new photos with it, with its class map.
// Nothing leaves the browser. This file is the page's controls; the work is in modules:
// - head.js: the head (standardise, train, probabilities, class map, leave-one-out);
// - model.js: the descriptions, the download (with its progress), loading and running the model;
// - photo.js: a photo decoded and squashed to the model's input size;
// - classmap.js: the class map's pixels; description.js: the reader's messages.
//
// The cell's <div class="cdt"> gives, relative to the page, data-model and data-metadata (as the
// classifier's) and data-photos (photos.json of the sample photos, fetched only when the reader
// presses "Use sample photos"). Nothing heavy is downloaded until the reader adds photos or presses
// a button; the page then shows the download's progress and its size.
//
// For tests and benchmarks, the root element reports what happened in data attributes:
// data-state (idle, loading, working, training, trained, error), data-runs (reader actions handled
// so far), data-photos-in-boxes (JSON [n0, n1]), data-download-bytes, data-received-bytes; after
// training: data-probabilities and data-held-out (JSON lists: p(second box) of each training photo,
// in box order, from the final head and from leave-one-out), data-losses, data-accuracies,
// data-held-out-right, data-head (JSON {weights, bias} on the raw features: logit = features ·
// weights + bias), data-map-scale; after a new photo: data-new-probabilities (JSON, one per box),
// data-new-class-map (JSON, 5x5 flattened: each cell's share of the logit of the second box);
// timings in milliseconds: data-model-ms, data-features-ms, data-train-ms, data-held-out-ms,
// data-total-ms (Train pressed -> scored, the model's download excluded), data-new-ms.

import { mapPixels } from "./classmap.js";
import { megabytes, percent, ReaderError, readerMessage } from "./description.js";
import * as head from "./head.js";
import { modelAt, run } from "./model.js";
import { readPhoto } from "./photo.js";

const BOX_NAMES = ["first", "second"];
const MAP_PERCENTILE = 0.99; // the map's full colour from this share of the training photos' cells on
let widgets = 0; // ids stay unique with several trainers on one page

// A share of photos (an accuracy): plain rounding, so that 40 of 40 reads 100%.
function share(value) {
  return `${Math.round(value * 100)}%`;
}

// Lets the page draw and react to the reader (at most every 30 ms: each pause costs a few ms).
let lastPause = 0;
function pause() {
  if (performance.now() - lastPause < 30) return Promise.resolve();
  return new Promise((resolve) => setTimeout(() => {
    lastPause = performance.now();
    resolve();
  }, 0));
}

// A photo's fingerprint: its pixels as the model sees them (equal fingerprints are compared in full).
function fingerprint(pixels) {
  let hash = 2166136261;
  for (let i = 0; i < pixels.length; i++) hash = Math.imul(hash ^ pixels[i], 16777619);
  return hash >>> 0;
}

function samePixels(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function build(root, id) {
  const box = (index) => `
    <section class="cdt-box" data-box="${index}" aria-label="The ${BOX_NAMES[index]} box">
      <p class="cdt-field"><label for="${id}-label${index}">Label of the ${BOX_NAMES[index]} box</label>
        <input type="text" id="${id}-label${index}" class="cdt-label" maxlength="40" autocomplete="off" spellcheck="false"></p>
      <p class="cdt-drop-note">Drop photos here, or</p>
      <label class="cdt-button cdt-choose">Choose photos<input type="file" accept="image/*" multiple class="cdt-input"></label>
      <p class="cdt-count" aria-live="off">No photos yet.</p>
      <ul class="cdt-thumbs" aria-label="Photos in the ${BOX_NAMES[index]} box"></ul>
    </section>`;
  root.innerHTML = `
    <p class="cdt-lead"><strong>Train a head on photos of your own.</strong> Put photos of one kind of
      thing in each box (at least 2 each; 10 or more work better), give each box its label, and press Train.</p>
    <div class="cdt-boxes">${box(0)}${box(1)}</div>
    <div class="cdt-actions">
      <button type="button" class="cdt-button cdt-sample">Use sample photos</button>
      <button type="button" class="cdt-button cdt-train">Train</button>
    </div>
    <p class="cdt-privacy">Your photos never leave your machine: everything runs in your browser. The model
      is downloaded<span class="cdt-size-note"></span> only when you add photos or press a button.</p>
    <p class="cdt-status" role="status" aria-live="polite"></p>
    <div class="cdt-progress" hidden>
      <progress class="cdt-progress-bar" max="1" value="0" aria-label="Download of the model"></progress>
      <span class="cdt-progress-text"></span>
    </div>
    <div class="cdt-trained" hidden>
      <figure class="cdt-plot">
        <div class="cdt-svg"></div>
        <figcaption class="cdt-plot-caption"></figcaption>
      </figure>
      <p class="cdt-score"></p>
      <div class="cdt-try">
        <label class="cdt-button cdt-choose">Try a new photo<input type="file" accept="image/*" class="cdt-new-input"></label>
        <div class="cdt-result" hidden>
          <figure class="cdt-figure">
            <div class="cdt-frame"><canvas class="cdt-canvas"></canvas><canvas class="cdt-map"></canvas></div>
            <figcaption>Your photo as the model sees it, with the trained head's evidence over it.</figcaption>
          </figure>
          <div class="cdt-scores">
            <p class="cdt-answer"></p>
            <div class="cdt-bars"></div>
            <p class="cdt-map-note">Colour marks the parts of the photo that pushed the answer towards
              <span class="cdt-map-class0"></span> or <span class="cdt-map-class1"></span>; the stronger the
              colour, the stronger the evidence.</p>
          </div>
        </div>
      </div>
    </div>`;
}

function setUp(root) {
  const id = `cdt${++widgets}`;
  build(root, id);
  const page = new URL(document.baseURI);
  const modelUrl = new URL(root.dataset.model, page).href;
  const metadataUrl = new URL(root.dataset.metadata, page).href;
  const photosUrl = root.dataset.photos ? new URL(root.dataset.photos, page).href : null;
  const element = (selector) => root.querySelector(selector);
  const boxes = Array.from(root.querySelectorAll(".cdt-box"));
  const labelInputs = boxes.map((section) => section.querySelector(".cdt-label"));
  const status = element(".cdt-status");
  const progress = element(".cdt-progress");
  const progressBar = element(".cdt-progress-bar");
  const progressText = element(".cdt-progress-text");
  const trainButton = element(".cdt-train");
  const sampleButton = element(".cdt-sample");
  const trained = element(".cdt-trained");
  const newInput = element(".cdt-new-input");
  const result = element(".cdt-result");
  const source = modelAt(modelUrl, metadataUrl); // reads the small descriptions now, the model only when asked
  const photos = [[], []]; // per box: {name, pixels, key, thumb (li), featureMap, features}
  let version = 0; // changes whenever a box changes: a head trained on older boxes says so
  let training = false;
  let trainedHead = null; // {head, labels, mapScale}
  let queue = Promise.resolve(); // the reader's actions, one after another
  let downloadSize = "";
  sampleButton.hidden = !photosUrl;
  root.dataset.state = "idle";
  root.dataset.runs = "0";
  root.dataset.photosInBoxes = "[0,0]";

  source.described.then(({ metadata, bytes }) => {
    downloadSize = megabytes(bytes);
    root.dataset.downloadBytes = String(bytes);
    element(".cdt-size-note").textContent = ` (${downloadSize})`;
    labelInputs.forEach((input, index) => {
      if (!input.value) input.value = metadata.labels[index];
    });
  }, () => {}); // a broken description is reported when the reader asks

  function say(message, isError = false) {
    status.textContent = message;
    status.classList.toggle("cdt-error", isError);
  }

  function finish(state, message) {
    root.dataset.state = state;
    say(message || "", state === "error");
    root.dataset.runs = String(Number(root.dataset.runs) + 1);
  }

  // Reader actions run one after another (a photo added while training waits for the training).
  function enqueue(action) {
    queue = queue.then(action).catch((error) => finish("error", readerMessage(error)));
    return queue;
  }

  function showProgress(received, total) {
    root.dataset.receivedBytes = String(received);
    progressBar.value = Math.min(received / total, 1);
    progressText.textContent = `${megabytes(received)} of ${megabytes(total)}`;
  }
  source.progress.add(showProgress);

  function asked() {
    // Start (or reuse) the download of the runtime and the model.
    const already = source.model !== null;
    const loading = source.load();
    if (!already) {
      progress.hidden = false;
      loading.then((model) => {
        root.dataset.modelMs = model.readyMs.toFixed(1);
        progress.hidden = true;
      }, () => {
        progress.hidden = true;
      });
    }
    return loading;
  }

  function labels() {
    return labelInputs.map((input) => input.value.trim());
  }

  function boxLabel(index) {
    return labels()[index] || `the ${BOX_NAMES[index]} box`;
  }

  function changed() {
    version++;
    root.dataset.photosInBoxes = JSON.stringify(photos.map((list) => list.length));
    photos.forEach((list, index) => {
      const count = boxes[index].querySelector(".cdt-count");
      count.textContent = list.length ? `${list.length} photo${list.length === 1 ? "" : "s"}.` : "No photos yet.";
    });
  }

  // --- Photos in the boxes -------------------------------------------------------------------------

  function removePhoto(boxIndex, photo) {
    const list = photos[boxIndex];
    const at = list.indexOf(photo);
    if (at < 0) return;
    list.splice(at, 1);
    const hadFocus = photo.thumb.contains(document.activeElement);
    photo.thumb.remove();
    changed();
    say(`Removed “${photo.name}” from ${boxLabel(boxIndex)}.`);
    if (hadFocus) { // the focus goes to the next photo's button, else the box's input
      const next = list[at] || list[at - 1];
      (next ? next.thumb.querySelector("button") : boxes[boxIndex].querySelector(".cdt-input")).focus();
    }
  }

  function thumbnail(boxIndex, photo, canvas) {
    const item = document.createElement("li");
    item.className = "cdt-thumb";
    canvas.className = "cdt-thumb-canvas";
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", photo.name);
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "cdt-remove";
    remove.textContent = "×";
    remove.setAttribute("aria-label", `Remove ${photo.name}`);
    remove.addEventListener("click", () => removePhoto(boxIndex, photo));
    const mark = document.createElement("span");
    mark.className = "cdt-mark";
    item.append(canvas, mark, remove);
    return item;
  }

  // Where a photo with these pixels already is: {box, photo} or null.
  function findSame(pixels, key) {
    for (const [box, list] of photos.entries()) {
      const photo = list.find((other) => other.key === key && samePixels(other.pixels, pixels));
      if (photo) return { box, photo };
    }
    return null;
  }

  // Decodes the files and puts them into box `boxIndex`; returns the problems, one sentence each.
  async function addFiles(boxIndex, files) {
    const { metadata } = await source.described;
    const problems = [];
    let added = 0;
    const decoded = await Promise.all(files.map(async (file) => {
      const canvas = document.createElement("canvas");
      try {
        return { file, canvas, pixels: await readPhoto(file, canvas, metadata.width, metadata.height) };
      } catch (error) {
        return { file, error };
      }
    }));
    for (const { file, canvas, pixels, error } of decoded) {
      if (error) {
        problems.push(readerMessage(error));
        continue;
      }
      const key = fingerprint(pixels);
      const same = findSame(pixels, key);
      if (same && same.box === boxIndex) {
        problems.push(`“${file.name}” is the same photo as “${same.photo.name}”, already in ${boxLabel(boxIndex)}: added once.`);
        continue;
      }
      if (same) {
        problems.push(`“${file.name}” is the same photo as “${same.photo.name}” in the other box (${boxLabel(same.box)}): ` +
          "a photo can teach only one label, so it was not added. Remove it from one box or choose another photo.");
        continue;
      }
      const photo = { name: file.name || "photo", pixels, key, featureMap: null, features: null };
      photo.thumb = thumbnail(boxIndex, photo, canvas);
      photos[boxIndex].push(photo);
      boxes[boxIndex].querySelector(".cdt-thumbs").append(photo.thumb);
      added++;
    }
    changed();
    return { added, problems };
  }

  function report(boxIndex, { added, problems }) {
    const addedText = added ? `Added ${added} photo${added === 1 ? "" : "s"} to ${boxLabel(boxIndex)}.` : "";
    if (problems.length) finish("error", [...problems, addedText].filter(Boolean).join(" "));
    else finish("idle", `${addedText} ${readyHint()}`);
  }

  function readyHint() {
    const short = photos.some((list) => list.length < 2);
    return short ? "Add at least 2 photos to each box, then press Train." : "Press Train when the boxes are ready.";
  }

  function addFromReader(boxIndex, files) {
    if (!files.length) return;
    root.dataset.state = "working";
    asked().catch(() => {}); // the model downloads while the photos are read; a failure is told at Train
    say(`Reading ${files.length} photo${files.length === 1 ? "" : "s"}…`);
    enqueue(async () => report(boxIndex, await addFiles(boxIndex, files)));
  }

  boxes.forEach((section, boxIndex) => {
    const input = section.querySelector(".cdt-input");
    input.addEventListener("change", () => {
      const files = Array.from(input.files || []);
      input.value = ""; // so that choosing the same files again is heard
      addFromReader(boxIndex, files);
    });
    section.addEventListener("dragover", (event) => {
      event.preventDefault();
      section.classList.add("cdt-dragging");
    });
    section.addEventListener("dragleave", () => section.classList.remove("cdt-dragging"));
    section.addEventListener("drop", (event) => {
      event.preventDefault();
      section.classList.remove("cdt-dragging");
      const files = Array.from((event.dataTransfer && event.dataTransfer.files) || []);
      if (files.length) addFromReader(boxIndex, files);
      else finish("error", "Drop photo files into a box (not a link or text).");
    });
  });

  // --- The sample photos ------------------------------------------------------------------------------

  async function useSamples() {
    say("Fetching the sample photos…");
    let listing;
    try {
      const response = await fetch(photosUrl);
      if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`);
      listing = await response.json();
    } catch (error) {
      throw new ReaderError(`Could not fetch the sample photos (${photosUrl}): ${error.message}.`);
    }
    const files = await Promise.all(listing.photos.map(async (photo) => {
      const url = new URL(photo.file, photosUrl).href;
      const response = await fetch(url);
      if (!response.ok) throw new ReaderError(`Could not fetch the sample photo ${url}: the server answered ${response.status}.`);
      const blob = await response.blob();
      return { label: photo.label, file: new File([blob], photo.file, { type: blob.type || "image/png" }) };
    }));
    for (const list of photos) list.splice(0).forEach((photo) => photo.thumb.remove());
    changed();
    labelInputs.forEach((input, index) => { input.value = listing.labels[index]; });
    const results = [];
    for (const boxIndex of [0, 1]) {
      results.push(await addFiles(boxIndex, files.filter((file) => file.label === boxIndex).map((file) => file.file)));
    }
    const problems = results.flatMap((one) => one.problems);
    if (problems.length) finish("error", problems.join(" "));
    else {
      finish("idle", `The sample photos are in the boxes: ${photos[0].length} ${listing.labels[0]} and ` +
        `${photos[1].length} ${listing.labels[1]} photos from our training folder. Press Train.`);
    }
  }

  sampleButton.addEventListener("click", () => {
    root.dataset.state = "working";
    asked().catch(() => {});
    enqueue(useSamples);
  });

  // --- Training -------------------------------------------------------------------------------------

  // What stops the training before it starts (a sentence), or null.
  function problemBeforeTraining() {
    const [first, second] = labels();
    if (!first || !second) {
      const empty = !first && !second ? "Both labels are empty" : `The label of the ${BOX_NAMES[first ? 1 : 0]} box is empty`;
      return `${empty}: give each box a label (what its photos show).`;
    }
    if (first.toLowerCase() === second.toLowerCase()) {
      return `The two boxes have the same label (“${first}”): give them different labels, one for each kind of photo.`;
    }
    if (photos.some((list) => list.length < 2)) {
      return `Add at least 2 photos to each box (${first}: ${photos[0].length}, ${second}: ${photos[1].length}).`;
    }
    return null;
  }

  function setTraining(on) {
    training = on;
    trainButton.setAttribute("aria-disabled", String(on)); // stays focusable: the focus is not lost
    trainButton.textContent = on ? "Training…" : "Train";
  }

  async function train() {
    const problem = problemBeforeTraining();
    if (problem) {
      finish("error", problem);
      return;
    }
    root.dataset.state = "training";
    for (const name of ["probabilities", "heldOut", "heldOutRight", "head", "losses", "accuracies", "featuresMs",
      "trainMs", "heldOutMs", "totalMs"]) delete root.dataset[name];
    const startVersion = version;
    const boxLabels = labels();
    const chosen = photos.flatMap((list, box) => list.map((photo) => ({ photo, label: box })));
    try {
      if (!source.model) say(`Loading the model${downloadSize ? ` (${downloadSize}, only this once)` : ""}…`);
      const model = await asked();
      const channels = model.metadata.features.shape[3];
      const started = performance.now();
      let count = 0;
      for (const { photo } of chosen) {
        count++;
        if (photo.features) continue; // once per photo
        say(`Computing the features of photo ${count} of ${chosen.length}…`);
        await pause(); // onnxruntime's runs may follow each other without the page getting a turn
        const { features } = await run(model, photo.pixels);
        photo.featureMap = Float32Array.from(features);
        photo.features = head.pooled(photo.featureMap, channels);
      }
      const featured = performance.now();
      const features = chosen.map(({ photo }) => photo.features);
      const labelsOf = chosen.map(({ label }) => label);
      say("Training the head…");
      await pause();
      const training = head.trainingSteps(features, labelsOf);
      let trainedNow;
      for (let step = training.next(); ; step = training.next()) {
        if (step.done) {
          trainedNow = step.value;
          break;
        }
        await pause();
      }
      const fitted = performance.now();
      showPlot(trainedNow, chosen.length);
      element(".cdt-score").textContent = "Scoring the head honestly: leave-one-out…";
      element(".cdt-try").hidden = true;
      trained.hidden = false;
      const heldOut = [];
      for (let index = 0; index < chosen.length; index++) {
        say(`Scoring: leaving out photo ${index + 1} of ${chosen.length} and training on the others…`);
        await pause(); // the page stays responsive between the folds
        heldOut.push(head.heldOut(features, labelsOf, index));
      }
      const done = performance.now();
      const fits = head.probabilities(trainedNow, features);
      const raw = head.rawWeights(trainedNow);
      const cellValues = chosen.flatMap(({ photo }) => Array.from(head.classMap(trainedNow, photo.featureMap), Math.abs));
      cellValues.sort((a, b) => a - b);
      const mapScale = cellValues[Math.min(cellValues.length - 1, Math.floor(MAP_PERCENTILE * cellValues.length))] || 1;
      trainedHead = { head: trainedNow, labels: boxLabels, mapScale };
      const right = heldOut.filter((p, index) => (p > 0.5) === (labelsOf[index] === 1)).length;
      chosen.forEach(({ photo, label }, index) => markPhoto(photo, label, heldOut[index], boxLabels));
      showScore(right, chosen.length, boxLabels);
      Object.assign(root.dataset, {
        probabilities: JSON.stringify(fits), heldOut: JSON.stringify(heldOut), heldOutRight: String(right),
        losses: JSON.stringify(trainedNow.losses), accuracies: JSON.stringify(trainedNow.accuracies),
        head: JSON.stringify({ weights: Array.from(raw.weights), bias: raw.bias }), mapScale: String(mapScale),
        featuresMs: (featured - started).toFixed(1), trainMs: (fitted - featured).toFixed(1),
        heldOutMs: (done - fitted).toFixed(1), totalMs: (done - started).toFixed(1),
      });
      element(".cdt-try").hidden = false;
      result.hidden = true;
      const changedMeanwhile = version !== startVersion ? " The boxes changed while it trained: press Train again to use them." : "";
      finish("trained", `Trained on ${chosen.length} photos in ${((done - started) / 1000).toFixed(1)} s. ` +
        `Left out one at a time, ${right} of ${chosen.length} were right. Try a new photo below.${changedMeanwhile}`);
    } catch (error) {
      if (!trainedHead) trained.hidden = true;
      throw error;
    }
  }

  trainButton.addEventListener("click", () => {
    if (training) { // pressed again while training: the training under way goes on
      say("Still training: the head is being trained on the photos in the boxes…");
      return;
    }
    setTraining(true); // at once, before the queue reaches it
    enqueue(async () => {
      try {
        await train();
      } finally {
        setTraining(false);
      }
    });
  });

  function markPhoto(photo, label, heldOutP, boxLabels) {
    const right = (heldOutP > 0.5) === (label === 1);
    const canvas = photo.thumb.querySelector("canvas");
    const verdict = right ? "right" : "wrong";
    const said = heldOutP > 0.5 ? boxLabels[1] : boxLabels[0];
    const sure = heldOutP > 0.5 ? heldOutP : 1 - heldOutP;
    photo.thumb.classList.toggle("cdt-wrong", !right);
    photo.thumb.querySelector(".cdt-mark").textContent = right ? "" : "✗";
    canvas.setAttribute("aria-label", `${photo.name}: ${verdict} when left out (${said}, ${percent(sure)})`);
    photo.thumb.title = `Left out of training: ${said}, ${percent(sure)}`;
  }

  function showScore(right, total, boxLabels) {
    const [low, high] = head.wilsonInterval(right, total);
    element(".cdt-score").textContent = `An honest score: ${right} of ${total} photos right when each was left out of ` +
      `training and predicted by a head trained on the others: ${share(right / total)}, with a 95% ` +
      `interval from ${share(low)} to ${share(high)} (${total} photos are few). The photos marked ✗ were wrong. ` +
      `The head you try below is trained on all ${total}, ${boxLabels[0]} against ${boxLabels[1]}.`;
  }

  // Loss and training accuracy per step, as an inline SVG with a text alternative.
  function showPlot(trainedNow, count) {
    const { losses, accuracies } = trainedNow;
    const width = 320;
    const height = 190;
    const left = 44;
    const right = 12;
    const top = 28;
    const bottom = 40;
    const top_ = Math.max(1, ...losses);
    const x = (step) => left + (step / Math.max(1, losses.length - 1)) * (width - left - right);
    const y = (value) => top + (1 - value / top_) * (height - top - bottom);
    const path = (values) => values.map((value, step) => `${step ? "L" : "M"}${x(step).toFixed(1)},${y(value).toFixed(1)}`).join("");
    const yTicks = [0, 0.5, 1].filter((value) => value <= top_);
    const xTicks = [0, Math.round(losses.length / 2), losses.length];
    const summary = `Training the head on ${count} photos, ${losses.length} steps: the loss went from ` +
      `${losses[0].toFixed(3)} to ${losses[losses.length - 1].toFixed(3)}, the training accuracy from ` +
      `${share(accuracies[0])} to ${share(accuracies[accuracies.length - 1])}.`;
    element(".cdt-svg").innerHTML = `
      <svg class="cdt-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="Plot of the loss and the training accuracy at each step (described below)">
        <text x="${width / 2}" y="14" text-anchor="middle" class="cdt-chart-title">Loss and training accuracy per step</text>
        ${yTicks.map((value) => `<line x1="${left}" x2="${width - right}" y1="${y(value)}" y2="${y(value)}" class="cdt-grid"/>
          <text x="${left - 6}" y="${y(value) + 4}" text-anchor="end">${value}</text>`).join("")}
        ${xTicks.map((step) => `<text x="${x(Math.min(step, losses.length - 1))}" y="${height - bottom + 16}" text-anchor="middle">${step}</text>`).join("")}
        <line x1="${left}" x2="${left}" y1="${top}" y2="${height - bottom}" class="cdt-axis"/>
        <line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" class="cdt-axis"/>
        <text x="${(left + width - right) / 2}" y="${height - 6}" text-anchor="middle">step of gradient descent</text>
        <text transform="translate(12 ${(top + height - bottom) / 2}) rotate(-90)" text-anchor="middle">loss, accuracy</text>
        <path d="${path(losses)}" class="cdt-loss"/>
        <path d="${path(accuracies)}" class="cdt-accuracy"/>
        <g transform="translate(${width - right - 150} ${y(0.75 * top_)})">
          <line x1="0" x2="22" y1="0" y2="0" class="cdt-loss"/><text x="28" y="4">loss</text>
          <line x1="70" x2="92" y1="0" y2="0" class="cdt-accuracy"/><text x="98" y="4">accuracy</text>
        </g>
      </svg>`;
    element(".cdt-plot-caption").textContent = summary;
  }

  // --- A new photo ----------------------------------------------------------------------------------

  async function tryPhoto(file) {
    const current = trainedHead;
    const started = performance.now();
    root.dataset.state = "working";
    for (const name of ["newProbabilities", "newClassMap", "newMs"]) delete root.dataset[name];
    result.hidden = true;
    say("Classifying…");
    const model = await asked();
    const { metadata } = model;
    const canvas = element(".cdt-canvas");
    const pixels = await readPhoto(file, canvas, metadata.width, metadata.height);
    const { features } = await run(model, pixels);
    const channels = metadata.features.shape[3];
    const second = head.probabilities(current.head, [head.pooled(features, channels)])[0];
    const cells = head.classMap(current.head, features);
    // classmap.js draws evidence = map[..., 1] - map[..., 0]: the head's map is the second box's logit.
    const asTwoClasses = new Float32Array(cells.length * 2);
    cells.forEach((value, cell) => { asTwoClasses[cell * 2 + 1] = value; });
    const drawing = { ...metadata, class_map: { ...metadata.class_map, shape: [null, ...metadata.features.shape.slice(1, 3), 2], scale: current.mapScale } };
    const mapCanvas = element(".cdt-map");
    mapCanvas.width = metadata.width;
    mapCanvas.height = metadata.height;
    mapCanvas.getContext("2d").putImageData(new ImageData(mapPixels(asTwoClasses, drawing), metadata.width, metadata.height), 0, 0);
    const probabilities = [1 - second, second];
    const best = second > 0.5 ? 1 : 0;
    element(".cdt-answer").textContent = `${current.labels[best]}, ${percent(probabilities[best])}`;
    element(".cdt-bars").replaceChildren(...current.labels.map((label, index) => {
      const row = document.createElement("div");
      row.className = "cdt-bar";
      row.innerHTML = '<span class="cdt-bar-label"></span><span class="cdt-track"><span class="cdt-fill"></span></span><span class="cdt-value"></span>';
      row.querySelector(".cdt-bar-label").textContent = label;
      row.querySelector(".cdt-fill").style.width = `${(probabilities[index] * 100).toFixed(1)}%`;
      row.querySelector(".cdt-value").textContent = percent(probabilities[index]);
      return row;
    }));
    metadata.class_map.colours.forEach((colour, index) => {
      const swatch = document.createElement("span");
      swatch.className = "cdt-swatch";
      swatch.style.background = colour;
      element(`.cdt-map-class${index}`).replaceChildren(swatch, current.labels[index]);
    });
    result.hidden = false;
    root.dataset.newProbabilities = JSON.stringify(probabilities);
    root.dataset.newClassMap = JSON.stringify(Array.from(cells));
    root.dataset.newMs = (performance.now() - started).toFixed(1);
    finish("trained", `${file.name || "The photo"}: ${current.labels[best]}, ${percent(probabilities[best])}.`);
  }

  newInput.addEventListener("change", () => {
    const file = newInput.files && newInput.files[0];
    newInput.value = "";
    if (file && trainedHead) enqueue(() => tryPhoto(file));
  });
}

document.querySelectorAll(".cdt").forEach(setUp);
