// Classify a photo of your own with model4, in your browser ("Cats vs. dogs": the post whose raw
// HTML cell holds <div class="cdc">). The photo never leaves your machine: the page loads the
// model (model4.onnx, exported from Keras by catsdogs/onnx_export.py) and runs it here with
// onnxruntime-web (WebAssembly). This file is the page's controls; the work is in modules:
// - model.js: the descriptions, the download (with its progress), loading and running the model;
// - photo.js: the photo decoded and squashed to the model's input size;
// - classmap.js: the class map's pixels (a pure function);
// - description.js: model4.json checked against model4.schema.json, and the reader's messages.
//
// The post's cell is a <div class="cdc"> whose data-model and data-metadata attributes give the
// URLs of model4.onnx and model4.json (relative to the page), plus this script and classifier.css.
// Nothing heavy is downloaded until the reader chooses a photo or presses "Load the model first";
// the page then shows the download's progress, and its size from the descriptions.
//
// For tests and benchmarks, the root element reports what happened in data attributes:
// data-state (idle, loading, working, done, error), data-runs (photos and load requests handled
// so far), data-probabilities (JSON list, one per class), data-label, data-class-map (JSON list:
// the model's map output as it came, [height, width, classes] flattened), data-download-bytes
// (the size of what the reader downloads), data-received-bytes, and timings in milliseconds
// (data-model-ms, data-decode-ms, data-inference-ms, data-total-ms; data-started-at is when the
// latest photo arrived, on the page's performance.now() clock).

import { mapPixels } from "./classmap.js";
import { megabytes, percent, readerMessage } from "./description.js";
import { modelAt, run, softmax } from "./model.js";
import { readPhoto } from "./photo.js";

function build(root) {
  root.innerHTML = `
    <div class="cdc-drop">
      <p class="cdc-lead"><strong>Try it on a photo of your own.</strong> Drop a photo here, or</p>
      <div class="cdc-actions">
        <label class="cdc-button">Choose a photo<input type="file" accept="image/*" class="cdc-input"></label>
        <label class="cdc-button cdc-camera">Take a photo<input type="file" accept="image/*" capture="environment" class="cdc-input"></label>
        <button type="button" class="cdc-button cdc-load">Load the model first<span class="cdc-size-note"></span></button>
      </div>
      <p class="cdc-privacy">Your photo never leaves your machine: the model runs in your browser.
        It is downloaded<span class="cdc-size-note"></span> only when you choose a photo or press the button.</p>
    </div>
    <p class="cdc-status" role="status" aria-live="polite"></p>
    <div class="cdc-progress" hidden>
      <progress class="cdc-progress-bar" max="1" value="0" aria-label="Download of the model"></progress>
      <span class="cdc-progress-text"></span>
    </div>
    <div class="cdc-result" hidden>
      <figure class="cdc-figure">
        <div class="cdc-frame"><canvas class="cdc-canvas"></canvas><canvas class="cdc-map" hidden></canvas></div>
        <figcaption>What the model sees: your photo squashed to <span class="cdc-size"></span> pixels, as in training.</figcaption>
      </figure>
      <div class="cdc-scores">
        <p class="cdc-answer"></p>
        <div class="cdc-bars"></div>
        <div class="cdc-map-key" hidden>
          <label class="cdc-map-toggle"><input type="checkbox" class="cdc-map-switch" checked> Show where the evidence lies</label>
          <p class="cdc-map-note">Colour marks the parts of the photo that pushed the answer towards
            <span class="cdc-map-class0"></span> or <span class="cdc-map-class1"></span>; the stronger the
            colour, the stronger the evidence. It shows where the evidence lay, not an outline of the animal.</p>
          <div class="cdc-scale"><span class="cdc-scale-end0"></span><span class="cdc-scale-bar"></span><span class="cdc-scale-end1"></span></div>
        </div>
      </div>
    </div>
    <p class="cdc-note">model4 knows only two classes. Show it anything else (a car, a person, a fox)
      and it still answers cat or dog, often with confidence: the percentages say which of the two
      the photo looks more like, not that there is a cat or a dog in it.</p>`;
  const camera = root.querySelector(".cdc-camera");
  // "Take a photo" only where there is a camera to take it with (phones and tablets).
  camera.hidden = !(window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
}

function setUp(root) {
  build(root);
  const page = new URL(document.baseURI);
  const modelUrl = new URL(root.dataset.model, page).href;
  const metadataUrl = new URL(root.dataset.metadata, page).href;
  const element = (selector) => root.querySelector(selector);
  const status = element(".cdc-status");
  const result = element(".cdc-result");
  const canvas = element(".cdc-canvas");
  const answer = element(".cdc-answer");
  const bars = element(".cdc-bars");
  const mapCanvas = element(".cdc-map");
  const mapKey = element(".cdc-map-key");
  const mapSwitch = element(".cdc-map-switch");
  const loadButton = element(".cdc-load");
  const chooseInput = element(".cdc-input");
  const progress = element(".cdc-progress");
  const progressBar = element(".cdc-progress-bar");
  const progressText = element(".cdc-progress-text");
  const source = modelAt(modelUrl, metadataUrl); // reads the small descriptions now, the model only when asked
  let latest = 0; // the number of the latest photo: results of older ones are dropped
  let downloadSize = "";
  root.dataset.state = "idle";
  root.dataset.runs = "0";

  source.described.then(({ bytes }) => {
    downloadSize = megabytes(bytes);
    root.dataset.downloadBytes = String(bytes);
    for (const note of root.querySelectorAll(".cdc-size-note")) note.textContent = ` (${downloadSize})`;
  }, () => {}); // a broken description is reported when the reader asks

  function say(message, isError = false) {
    status.textContent = message;
    status.classList.toggle("cdc-error", isError);
  }

  function finish(state, message) {
    root.dataset.state = state;
    say(message || "", state === "error");
    root.dataset.runs = String(Number(root.dataset.runs) + 1);
  }

  function showProgress(received, total) {
    root.dataset.receivedBytes = String(received);
    progressBar.value = Math.min(received / total, 1);
    progressText.textContent = `${megabytes(received)} of ${megabytes(total)}`;
  }
  source.progress.add(showProgress);

  function loadingMessage() {
    return `Loading the model${downloadSize ? ` (${downloadSize}, only this once)` : " (only this once)"}…`;
  }

  function asked() {
    // Start (or reuse) the download; remember how long it took, if it was this request's job.
    const already = source.model !== null;
    const loading = source.load();
    if (!already) {
      progress.hidden = false;
      loadButton.hidden = true; // back only if loading fails
      loading.then((model) => {
        root.dataset.modelMs = model.readyMs.toFixed(1);
        progress.hidden = true;
      }, () => {
        progress.hidden = true;
        loadButton.hidden = false;
      });
    }
    return loading;
  }

  function showMap(model, classMap) {
    const { labels, class_map: map, width, height } = model.metadata;
    mapCanvas.width = width;
    mapCanvas.height = height;
    mapCanvas.getContext("2d").putImageData(new ImageData(mapPixels(classMap, model.metadata), width, height), 0, 0);
    for (const index of [0, 1]) {
      // The class name in the page's own text colour (readable on any background), after a
      // swatch of the map's colour for it.
      const swatch = document.createElement("span");
      swatch.className = "cdc-swatch";
      swatch.style.background = map.colours[index];
      element(`.cdc-map-class${index}`).replaceChildren(swatch, labels[index]);
      element(`.cdc-scale-end${index}`).textContent = labels[index];
    }
    const [first, second] = map.colours;
    element(".cdc-scale-bar").style.background = `linear-gradient(to right, ${first}, transparent, ${second})`;
    mapKey.hidden = false;
    mapCanvas.hidden = !mapSwitch.checked;
    root.dataset.classMap = JSON.stringify(Array.from(classMap));
  }

  function showScores(model, probabilities) {
    const labels = model.metadata.labels;
    const best = probabilities.indexOf(Math.max(...probabilities));
    answer.textContent = `${labels[best]}, ${percent(probabilities[best])}`;
    bars.replaceChildren(...labels.map((label, index) => {
      const row = document.createElement("div");
      row.className = "cdc-bar";
      row.innerHTML = '<span class="cdc-label"></span><span class="cdc-track"><span class="cdc-fill"></span></span><span class="cdc-value"></span>';
      row.querySelector(".cdc-label").textContent = label;
      row.querySelector(".cdc-fill").style.width = `${(probabilities[index] * 100).toFixed(1)}%`;
      row.querySelector(".cdc-value").textContent = percent(probabilities[index]);
      return row;
    }));
    root.dataset.probabilities = JSON.stringify(probabilities);
    root.dataset.label = labels[best];
  }

  async function classify(file) {
    const number = ++latest;
    const started = performance.now();
    root.dataset.startedAt = started.toFixed(1);
    root.dataset.state = "working";
    for (const name of ["probabilities", "label", "classMap", "decodeMs", "inferenceMs", "totalMs"]) delete root.dataset[name];
    result.hidden = true; // shown again once this photo is decoded
    answer.textContent = "";
    bars.replaceChildren();
    mapCanvas.hidden = true;
    mapKey.hidden = true;
    say(source.model ? "Classifying…" : loadingMessage());
    try {
      const loading = asked(); // the model downloads while the photo is decoded
      const { metadata } = await source.described; // small: it gives the input size
      if (number !== latest) return;
      element(".cdc-size").textContent = `${metadata.width}×${metadata.height}`;
      const pixels = await readPhoto(file, canvas, metadata.width, metadata.height);
      const decoded = performance.now();
      if (number !== latest) return;
      result.hidden = false;
      const model = await loading;
      if (number !== latest) return;
      const inferenceStart = performance.now();
      const { logits, classMap } = await run(model, pixels);
      if (number !== latest) return;
      showScores(model, softmax(logits));
      showMap(model, classMap);
      const done = performance.now();
      root.dataset.decodeMs = (decoded - started).toFixed(1);
      root.dataset.inferenceMs = (done - inferenceStart).toFixed(1);
      root.dataset.totalMs = (done - started).toFixed(1);
      finish("done", "");
    } catch (error) {
      if (number !== latest) return;
      finish("error", readerMessage(error));
    }
  }

  for (const input of root.querySelectorAll(".cdc-input")) {
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      input.value = ""; // so that choosing the same file again classifies it again
      if (file) classify(file);
    });
  }
  root.addEventListener("dragover", (event) => {
    event.preventDefault();
    root.classList.add("cdc-dragging");
  });
  root.addEventListener("dragleave", () => root.classList.remove("cdc-dragging"));
  root.addEventListener("drop", (event) => {
    event.preventDefault();
    root.classList.remove("cdc-dragging");
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (file) classify(file);
    else finish("error", "Drop a photo file here (not a link or text).");
  });
  mapSwitch.addEventListener("change", () => {
    mapCanvas.hidden = !mapSwitch.checked || root.dataset.classMap === undefined;
  });
  loadButton.addEventListener("click", async () => {
    const number = latest; // a photo chosen meanwhile takes over the status line
    root.dataset.state = "loading";
    say(loadingMessage());
    // The button hides while the model loads: focus moves to what the reader does next.
    const hadFocus = document.activeElement === loadButton;
    const loading = asked();
    if (hadFocus) chooseInput.focus();
    try {
      await loading;
      if (number === latest) finish("idle", "The model is ready: choose or drop a photo.");
    } catch (error) {
      if (number === latest) finish("error", readerMessage(error));
    }
  });
}

document.querySelectorAll(".cdc").forEach(setUp);
