// node --test: model4.json checked against model4.schema.json (posts/widget/description.js), and
// the reader's messages, without a browser. tests/test_onnx_export.py checks that Python's
// validate() (catsdogs/onnx_export.py) gives the same verdicts on the same files.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ReaderError, readDescription, readerMessage, validate } from "../../posts/widget/description.js";

const read = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8"));
const schema = read("../../posts/widget/model4.schema.json");
const committed = read("../../run/model4.json");

test("the committed model4.json fits the schema, and gives the input size", () => {
  assert.deepEqual(validate(schema, committed), []);
  const description = readDescription(committed, schema);
  assert.equal(description.height, committed.input.shape[1]);
  assert.equal(description.width, committed.input.shape[2]);
});

test("a description that does not fit is refused, saying where", () => {
  const broken = structuredClone(committed);
  delete broken.labels;
  broken.class_map.colours = ["purple", "#e66101"];
  broken.class_map.scale = 0;
  broken.input.shape = [null, 160, 160];
  const problems = validate(schema, broken);
  assert.deepEqual(problems, [
    'model4.json: "labels" is missing',
    "model4.json.input.shape: fewer than 4 items",
    "model4.json.class_map.colours[0]: does not match ^#[0-9a-fA-F]{6}$",
    "model4.json.class_map.scale: not above 0",
  ]);
  assert.throws(() => readDescription(broken, schema), (error) => error instanceof ReaderError &&
    error.message.startsWith("The model description (model4.json) does not fit the widget: model4.json: \"labels\" is missing"));
  assert.deepEqual(validate(schema, []), ["model4.json: must be object, not array"]);
});

test("one message for the reader, from any error", () => {
  assert.equal(readerMessage(new ReaderError("Choose a photo.")), "Choose a photo.");
  assert.equal(readerMessage(new TypeError("x is undefined")), "Something went wrong: x is undefined");
  assert.equal(readerMessage("plain"), "Something went wrong: plain");
});
