// Classify a photo of your own with model4, in your browser (post 06 of "Cats vs. dogs").
//
// The photo never leaves your machine: the page loads the model (model4.onnx, exported from
// Keras by catsdogs/onnx_export.py) and runs it here with onnxruntime-web (WebAssembly).
// Nothing is downloaded until you ask: the first photo you choose, or the "Load the model"
// button, fetches the runtime (about 14 MB) and the model (about 9 MB), once.
//
// What the model sees: the whole photo squashed to the model's input size (no crop), as in
// training, as float32 RGB pixels 0-255 in NHWC layout. The input's name and size, the class
// labels and the names of the outputs come from model4.json (written with the model by
// catsdogs/onnx_export.py), never from this file. Two choices, made on purpose:
// - EXIF orientation IS applied (a phone photo is classified the way the phone shows it):
//   browsers apply it when they decode a photo. TensorFlow's decoder, used for training, does
//   not; the training photos carry no rotation, so for them both give the same pixels.
// - Colour profiles are NOT applied (colorSpaceConversion: "none"), like TensorFlow's decoder.
// The browser shrinks the photo with its own smooth ("high" quality) resampling while it
// decodes it; TensorFlow used bilinear interpolation. They differ by a few grey levels.
//
// The map: model4.onnx has a second output, model4's class activation maps at 5x5 (see
// catsdogs/cam.py). The widget draws the difference of the two classes' maps over the photo,
// enlarged by bilinear interpolation (as catsdogs.cam.upsample does), in the colours, opacity
// and scale that model4.json gives: where the model found evidence for one class or the other.
//
// The page includes widget.html: a <div class="cdc"> whose data-model and data-metadata
// attributes give the URLs of model4.onnx and model4.json (relative to the page). The runtime
// is read from the folder ort/ beside this file (copied from node_modules by
// scripts/copy_runtime.py). No CDN: everything comes from this site.
//
// For tests and benchmarks, the root element reports what happened in data attributes:
// data-state (idle, loading, working, done, error), data-runs (photos handled so far),
// data-probabilities (JSON list, one per class), data-label, data-class-map (JSON list: the
// model's map output as it came, [height, width, classes] flattened), and timings in milliseconds
// (data-model-ms, data-decode-ms, data-inference-ms, data-total-ms; data-started-at is when the
// latest photo arrived, on the page's performance.now() clock).

const RUNTIME_DIR = new URL("ort/", import.meta.url);
const RUNTIME_FILE = "ort.wasm.min.mjs";
const DOWNLOAD_SIZE = "about 23 MB"; // runtime (14 MB) + model (9 MB)
// The smallest WebAssembly module that uses SIMD, which onnxruntime-web needs (WebAssembly.validate
// tells whether this browser understands it, without running anything).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10,
  10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

// An error whose message is written for the reader (shown as it is in the page).
class ReaderError extends Error {}

// --- The model: loaded once per model URL, when the reader first asks -----------------------

const models = new Map(); // model URL -> {metadata: Promise, model: Promise of {session, metadata, ..., readyMs}}

function webAssemblyProblem() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") {
    return "This browser cannot run WebAssembly, which the model needs: it is missing or turned off " +
      "(some security settings turn it off). Try another browser, or turn WebAssembly back on.";
  }
  if (!WebAssembly.validate(SIMD_PROBE)) {
    return "This browser's WebAssembly is too old for the model (it lacks SIMD): update the browser " +
      "or try another one.";
  }
  return null;
}

async function fetchOk(url, what) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ReaderError(`Could not download ${what} (${url}): ${error.message}. Check your connection and try again.`);
  }
  if (!response.ok) {
    throw new ReaderError(`Could not download ${what} (${url}): the server answered ${response.status} ${response.statusText}.`);
  }
  return response;
}

// What the page needs from model4.json, checked: a description without them is a site error.
function readMetadata(metadata) {
  const shape = metadata && metadata.input && metadata.input.shape;
  if (!Array.isArray(shape) || shape.length !== 4 || shape[3] !== 3 || !(shape[1] > 0 && shape[2] > 0)) {
    throw new ReaderError("The model description (model4.json) gives no input shape [batch, height, width, 3].");
  }
  const labels = metadata.labels || metadata.class_names;
  if (!Array.isArray(labels) || labels.length < 2) {
    throw new ReaderError("The model description (model4.json) names no classes.");
  }
  return { ...metadata, height: shape[1], width: shape[2], labels };
}

async function fetchMetadata(metadataUrl) {
  const response = await fetchOk(metadataUrl, "the model description");
  let metadata;
  try {
    metadata = await response.json();
  } catch (error) {
    throw new ReaderError(`The model description ${metadataUrl} is not valid JSON: ${error.message}`);
  }
  return readMetadata(metadata);
}

async function createModel(modelUrl, metadataLoading) {
  const started = performance.now();
  const problem = webAssemblyProblem();
  if (problem) throw new ReaderError(problem);

  let ort;
  try {
    ort = await import(new URL(RUNTIME_FILE, RUNTIME_DIR).href);
  } catch (error) {
    throw new ReaderError(`Could not load the ONNX runtime from ${RUNTIME_DIR.href}: ${error.message}`);
  }
  ort.env.wasm.wasmPaths = RUNTIME_DIR.href; // the .mjs and .wasm files beside ort.wasm.min.mjs
  ort.env.wasm.numThreads = 1; // threads need cross-origin isolation, which GitHub Pages cannot give

  const [metadata, modelBytes] = await Promise.all([
    metadataLoading,
    fetchOk(modelUrl, "the model").then((response) => response.arrayBuffer()),
  ]);
  let session;
  try {
    session = await ort.InferenceSession.create(new Uint8Array(modelBytes), { executionProviders: ["wasm"] });
  } catch (error) {
    throw new ReaderError(`The ONNX runtime could not load the model ${modelUrl}: ${error.message}`);
  }
  const inputName = metadata.input.name || session.inputNames[0];
  const outputName = (metadata.output && metadata.output.name) || session.outputNames[0];
  const mapName = metadata.class_map ? metadata.class_map.name : null; // an older export has no map
  for (const [name, names] of [[inputName, session.inputNames], [outputName, session.outputNames],
    [mapName || outputName, session.outputNames]]) {
    if (!names.includes(name)) {
      throw new ReaderError(`The model ${modelUrl} and its description disagree: it has no “${name}” (it has ${names.join(", ")}).`);
    }
  }
  const model = { ort, session, metadata, inputName, outputName, mapName };
  await run(model, new Float32Array(metadata.height * metadata.width * 3)); // a first run prepares everything: later runs are fast
  model.readyMs = performance.now() - started;
  return model;
}

function loadModel(modelUrl, metadataUrl) {
  if (!models.has(modelUrl)) {
    const metadata = fetchMetadata(metadataUrl);
    const model = createModel(modelUrl, metadata);
    const loading = { metadata, model };
    models.set(modelUrl, loading);
    model.catch(() => models.delete(modelUrl)); // after a failure, the next photo tries again
    metadata.catch(() => models.delete(modelUrl));
  }
  return models.get(modelUrl);
}

async function run(model, pixels) {
  const { height, width } = model.metadata;
  const input = new model.ort.Tensor("float32", pixels, [1, height, width, 3]);
  const outputs = await model.session.run({ [model.inputName]: input });
  return {
    logits: Array.from(outputs[model.outputName].data),
    classMap: model.mapName ? outputs[model.mapName].data : null,
  };
}

function softmax(logits) {
  const largest = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - largest));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

// --- The map: evidence for each class, over the photo -------------------------------------------

function rgb(colour) {
  return [1, 3, 5].map((start) => parseInt(colour.slice(start, start + 2), 16));
}

// The difference of the two classes' maps (evidence for class 1 over class 0), enlarged to the
// photo's size by bilinear interpolation with pixel centres at +0.5 (TensorFlow's
// tf.image.resize), drawn in class 1's colour where positive and class 0's where negative, more
// opaque the stronger it is: fully (times the opacity) from the scale on.
function drawMap(canvas, classMap, metadata) {
  const { height, width } = metadata;
  const [, mapHeight, mapWidth, classes] = metadata.class_map.shape;
  const { scale, opacity } = metadata.class_map;
  const colours = metadata.class_map.colours.map(rgb);
  const evidence = new Float32Array(mapHeight * mapWidth);
  for (let cell = 0; cell < evidence.length; cell++) {
    evidence[cell] = classMap[cell * classes + 1] - classMap[cell * classes];
  }
  const source = (position, size, outputSize) => {
    const coordinate = Math.min(Math.max((position + 0.5) * size / outputSize - 0.5, 0), size - 1);
    const lower = Math.floor(coordinate);
    return [lower, Math.min(lower + 1, size - 1), coordinate - lower];
  };
  const columns = Array.from({ length: width }, (_, x) => source(x, mapWidth, width));
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const image = context.createImageData(width, height);
  for (let y = 0; y < height; y++) {
    const [top, bottom, down] = source(y, mapHeight, height);
    for (let x = 0; x < width; x++) {
      const [left, right, across] = columns[x];
      const upper = evidence[top * mapWidth + left] + (evidence[top * mapWidth + right] - evidence[top * mapWidth + left]) * across;
      const lowerRow = evidence[bottom * mapWidth + left] + (evidence[bottom * mapWidth + right] - evidence[bottom * mapWidth + left]) * across;
      const value = upper + (lowerRow - upper) * down;
      const colour = colours[value > 0 ? 1 : 0];
      const pixel = (y * width + x) * 4;
      image.data[pixel] = colour[0];
      image.data[pixel + 1] = colour[1];
      image.data[pixel + 2] = colour[2];
      image.data[pixel + 3] = Math.round(255 * opacity * Math.min(Math.abs(value) / scale, 1));
    }
  }
  context.putImageData(image, 0, 0);
}

// --- The photo: decoded and squashed to the model's input size by the browser -------------------

async function readPhoto(file, canvas, width, height) {
  if (file.type && !file.type.startsWith("image/")) {
    throw new ReaderError(`“${file.name}” is not an image (its type is ${file.type}). ` +
      "Choose a photo: JPEG, PNG, WebP or GIF.");
  }
  if (file.size === 0) {
    throw new ReaderError(`“${file.name}” is empty (0 bytes). Choose a photo.`);
  }
  if (typeof createImageBitmap !== "function") {
    throw new ReaderError("This browser is too old to read photos here (it lacks createImageBitmap): update it or try another one.");
  }
  let bitmap;
  try {
    // Decoding and resizing in one step, away from the page's main thread: even a 6000x4500
    // photo never exists at full size in the page, and the tab stays responsive.
    bitmap = await createImageBitmap(file, {
      resizeWidth: width, resizeHeight: height, resizeQuality: "high", colorSpaceConversion: "none",
    });
  } catch (error) {
    throw new ReaderError(`This browser cannot read “${file.name}” as an image: the file may be damaged ` +
      "or cut short, or in a format the browser does not know (such as HEIC, the iPhone's default; " +
      "share the photo as JPEG instead).");
  }
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.clearRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height); // already that size: a plain copy (scales only if a browser ignored resizeWidth)
  bitmap.close();
  const rgba = context.getImageData(0, 0, width, height).data;
  const pixels = new Float32Array(width * height * 3); // NHWC, RGB, 0-255, as model4 expects
  for (let source = 0, target = 0; source < rgba.length; source += 4, target += 3) {
    pixels[target] = rgba[source];
    pixels[target + 1] = rgba[source + 1];
    pixels[target + 2] = rgba[source + 2];
  }
  return pixels;
}

// --- The widget --------------------------------------------------------------------------------

function percent(probability) {
  const value = Math.round(probability * 100);
  if (value >= 100) return ">99%";
  if (value <= 0) return "<1%";
  return `${value}%`;
}

function build(root) {
  root.innerHTML = `
    <div class="cdc-drop">
      <p class="cdc-lead"><strong>Try it on a photo of your own.</strong> Drop a photo here, or</p>
      <div class="cdc-actions">
        <label class="cdc-button">Choose a photo<input type="file" accept="image/*" class="cdc-input"></label>
        <label class="cdc-button cdc-camera">Take a photo<input type="file" accept="image/*" capture="environment" class="cdc-input"></label>
        <button type="button" class="cdc-button cdc-load">Load the model first (${DOWNLOAD_SIZE})</button>
      </div>
      <p class="cdc-privacy">Your photo never leaves your machine: the model runs in your browser.
        It is downloaded (${DOWNLOAD_SIZE}) only when you choose a photo or press the button.</p>
    </div>
    <p class="cdc-status" role="status" aria-live="polite"></p>
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
  const modelUrl = new URL(root.dataset.model || "model4.onnx", page).href;
  const metadataUrl = new URL(root.dataset.metadata || "model4.json", page).href;
  const status = root.querySelector(".cdc-status");
  const result = root.querySelector(".cdc-result");
  const canvas = root.querySelector(".cdc-canvas");
  const answer = root.querySelector(".cdc-answer");
  const bars = root.querySelector(".cdc-bars");
  const mapCanvas = root.querySelector(".cdc-map");
  const mapKey = root.querySelector(".cdc-map-key");
  const mapSwitch = root.querySelector(".cdc-map-switch");
  const loadButton = root.querySelector(".cdc-load");
  let latest = 0; // the number of the latest photo: results of older ones are dropped
  root.dataset.state = "idle";
  root.dataset.runs = "0";

  function say(message, isError = false) {
    status.textContent = message;
    status.classList.toggle("cdc-error", isError);
  }

  function finish(state, message) {
    root.dataset.state = state;
    say(message || "", state === "error");
    root.dataset.runs = String(Number(root.dataset.runs) + 1);
  }

  function asked() {
    // Start (or reuse) the download; remember how long it took, if it was this request's job.
    const already = models.has(modelUrl);
    const loading = loadModel(modelUrl, metadataUrl);
    loadButton.hidden = true; // back only if loading fails
    loading.model.then((model) => {
      if (!already) root.dataset.modelMs = model.readyMs.toFixed(1);
    }, () => { loadButton.hidden = false; });
    return loading;
  }

  function showMap(model, classMap) {
    if (!classMap) { // a model exported without its map
      mapKey.hidden = true;
      mapCanvas.hidden = true;
      return;
    }
    const { labels, class_map: map } = model.metadata;
    mapCanvas.width = model.metadata.width;
    mapCanvas.height = model.metadata.height;
    drawMap(mapCanvas, classMap, model.metadata);
    for (const index of [0, 1]) {
      // The class name in the page's own text colour (readable on any background), after a
      // swatch of the map's colour for it.
      const swatch = document.createElement("span");
      swatch.className = "cdc-swatch";
      swatch.style.background = map.colours[index];
      root.querySelector(`.cdc-map-class${index}`).replaceChildren(swatch, labels[index]);
      root.querySelector(`.cdc-scale-end${index}`).textContent = labels[index];
    }
    const [first, second] = map.colours;
    root.querySelector(".cdc-scale-bar").style.background =
      `linear-gradient(to right, ${first}, transparent, ${second})`;
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
    say(models.has(modelUrl) ? "Classifying…" : `Loading the model (${DOWNLOAD_SIZE}, only this once)…`);
    try {
      const loading = asked(); // the model downloads while the photo is decoded
      const metadata = await loading.metadata; // small: it gives the input size
      if (number !== latest) return;
      root.querySelector(".cdc-size").textContent = `${metadata.width}×${metadata.height}`;
      const pixels = await readPhoto(file, canvas, metadata.width, metadata.height);
      const decoded = performance.now();
      if (number !== latest) return;
      result.hidden = false;
      const model = await loading.model;
      if (number !== latest) return;
      const inferenceStart = performance.now();
      const { logits, classMap } = await run(model, pixels);
      const probabilities = softmax(logits);
      if (number !== latest) return;
      showScores(model, probabilities);
      showMap(model, classMap);
      const done = performance.now();
      root.dataset.decodeMs = (decoded - started).toFixed(1);
      root.dataset.inferenceMs = (done - inferenceStart).toFixed(1);
      root.dataset.totalMs = (done - started).toFixed(1);
      finish("done", "");
    } catch (error) {
      if (number !== latest) return;
      if (!(error instanceof ReaderError)) console.error(error);
      const message = error instanceof ReaderError ? error.message : `Something went wrong: ${error.message || error}`;
      finish("error", message);
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
    say(`Loading the model (${DOWNLOAD_SIZE}, only this once)…`);
    try {
      await asked().model;
      if (number === latest) finish("idle", "The model is ready: choose or drop a photo.");
    } catch (error) {
      if (number === latest) finish("error", error instanceof ReaderError ? error.message : `Something went wrong: ${error.message || error}`);
    }
  });
}

document.querySelectorAll(".cdc").forEach(setUp);
