// Loading and running model4 in the browser with onnxruntime-web (WebAssembly).
//
// Nothing heavy is downloaded until the reader asks. The widget first reads three small files:
// model4.json (the model's description, checked against model4.schema.json) and ort/runtime.json
// (the runtime's files and sizes, written by scripts/copy_runtime.py), so that it can say how
// much the download is. When the reader asks, it downloads, showing the progress:
// - the runtime: onnxruntime-web's smallest build that runs the model, the WebAssembly-only one
//   (ort.wasm.bundle.min.mjs, which carries its own loader), and its WebAssembly module stored
//   gzip-compressed (ort-wasm-simd-threaded.wasm.gz: 14 MB -> 3.7 MB), which the browser
//   decompresses itself (DecompressionStream), so that the download is small even from a server
//   that compresses nothing;
// - the model, model4.onnx, whose weights catsdogs/onnx_export.py stores compactly (8-bit, with a
//   scale per channel).
// Everything comes from this site (no CDN): the runtime from the folder ort/ beside this file.

import { ReaderError, readDescription } from "./description.js";

const RUNTIME_DIR = new URL("ort/", import.meta.url);
const SCHEMA_URL = new URL("model4.schema.json", import.meta.url);
// The smallest WebAssembly module that uses SIMD, which onnxruntime-web needs (WebAssembly.validate
// tells whether this browser understands it, without running anything).
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10,
  10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

export function webAssemblyProblem() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.validate !== "function") {
    return "This browser cannot run WebAssembly, which the model needs: it is missing or turned off " +
      "(some security settings turn it off). Try another browser, or turn WebAssembly back on.";
  }
  if (!WebAssembly.validate(SIMD_PROBE)) {
    return "This browser's WebAssembly is too old for the model (it lacks SIMD): update the browser " +
      "or try another one.";
  }
  if (typeof DecompressionStream !== "function") {
    return "This browser is too old for the model (it lacks DecompressionStream): update it or try another one.";
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

async function fetchJson(url, what) {
  const response = await fetchOk(url, what);
  try {
    return await response.json();
  } catch (error) {
    throw new ReaderError(`${what} (${url}) is not valid JSON: ${error.message}`);
  }
}

// The file's bytes, reporting each chunk's size to onBytes as it arrives; a gzip file is
// decompressed on the way.
async function download(url, what, onBytes, gzip = false) {
  const response = await fetchOk(url, what);
  let stream = response.body.pipeThrough(new TransformStream({
    transform(chunk, controller) {
      onBytes(chunk.byteLength);
      controller.enqueue(chunk);
    },
  }));
  if (gzip) stream = stream.pipeThrough(new DecompressionStream("gzip"));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new ReaderError(`Could not download ${what} (${url}): ${error.message}. Check your connection and try again.`);
  }
}

// --- The descriptions (small), read when the widget starts ---------------------------------------

async function readDescriptions(metadataUrl) {
  const [description, schema, runtime] = await Promise.all([
    fetchJson(metadataUrl, "The model description"),
    fetchJson(SCHEMA_URL, "The model description's schema"),
    fetchJson(new URL("runtime.json", RUNTIME_DIR), "The runtime's description"),
  ]);
  const metadata = readDescription(description, schema);
  // What the reader downloads: the runtime's files as stored, and the model.
  const bytes = runtime.files.reduce((sum, file) => sum + file.bytes, 0) + metadata.size_bytes;
  return { metadata, runtime, bytes };
}

// --- The model, loaded once per model URL --------------------------------------------------------

async function createModel(modelUrl, described, progress) {
  const started = performance.now();
  const problem = webAssemblyProblem();
  if (problem) throw new ReaderError(problem);
  const { metadata, runtime, bytes } = await described;
  let received = 0;
  const onBytes = (count) => {
    received += count;
    for (const listener of progress) listener(received, bytes);
  };
  const [script, wasm] = runtime.files.map((file) => new URL(file.name, RUNTIME_DIR).href);
  const downloads = Promise.all([ // all three files at once
    download(wasm, "the ONNX runtime", onBytes, true),
    download(modelUrl, "the model", onBytes),
  ]);
  downloads.catch(() => {}); // reported below, unless the runtime's script fails first
  let ort;
  try {
    ort = await import(script);
  } catch (error) {
    throw new ReaderError(`Could not load the ONNX runtime from ${script}: ${error.message}`);
  }
  onBytes(runtime.files[0].bytes);
  const [wasmBinary, modelBytes] = await downloads;
  ort.env.wasm.wasmBinary = wasmBinary;
  ort.env.wasm.numThreads = 1; // threads need cross-origin isolation, which GitHub Pages cannot give
  let session;
  try {
    // disable_quant_qdq: the model's 8-bit weights are turned into float32 once, when it loads
    // (constant folding), not at every run; the model has no 8-bit arithmetic to keep.
    session = await ort.InferenceSession.create(modelBytes,
      { executionProviders: ["wasm"], extra: { session: { disable_quant_qdq: "1" } } });
  } catch (error) {
    throw new ReaderError(`The ONNX runtime could not load the model ${modelUrl}: ${error.message}`);
  }
  for (const [name, names] of [[metadata.input.name, session.inputNames], [metadata.output.name, session.outputNames],
    [metadata.class_map.name, session.outputNames], [metadata.features.name, session.outputNames]]) {
    if (!names.includes(name)) {
      throw new ReaderError(`The model ${modelUrl} and its description disagree: it has no “${name}” (it has ${names.join(", ")}).`);
    }
  }
  const model = { ort, session, metadata };
  await run(model, new Float32Array(metadata.height * metadata.width * 3)); // a first run prepares everything: later runs are fast
  model.readyMs = performance.now() - started;
  return model;
}

const loads = new Map(); // model URL -> {described, model (a Promise, once asked for), progress listeners}

// The descriptions of the model at modelUrl (started at once) and a function that starts (or
// reuses) its download: {described, model()}. A failed download is tried again when asked again.
export function modelAt(modelUrl, metadataUrl) {
  if (!loads.has(modelUrl)) {
    const entry = { described: readDescriptions(metadataUrl), model: null, progress: new Set() };
    entry.described.catch(() => {}); // reported when the reader asks
    entry.load = () => {
      if (!entry.model) {
        entry.model = createModel(modelUrl, entry.described, entry.progress);
        entry.model.catch(() => {
          entry.model = null;
          entry.described.catch(() => { // the descriptions failed too: read them again next time
            entry.described = readDescriptions(metadataUrl);
            entry.described.catch(() => {});
          });
        });
      }
      return entry.model;
    };
    loads.set(modelUrl, entry);
  }
  return loads.get(modelUrl);
}

// One photo's outputs: the logits, the class map ([5, 5, 2] flattened) and the feature map under
// it ([5, 5, 1280] flattened: what post 05's trainer fits its head on).
export async function run(model, pixels) {
  const { height, width, input, output, class_map: classMap, features } = model.metadata;
  const tensor = new model.ort.Tensor("float32", pixels, [1, height, width, 3]);
  const outputs = await model.session.run({ [input.name]: tensor });
  return { logits: Array.from(outputs[output.name].data), classMap: outputs[classMap.name].data,
    features: outputs[features.name].data };
}

export function softmax(logits) {
  const largest = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - largest));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}
