// node --test: the class map's pixels (posts/widget/classmap.js), without a browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import { mapPixels } from "../../posts/widget/classmap.js";

const description = {
  height: 160, width: 160,
  class_map: { shape: [null, 5, 5, 2], colours: ["#5e3c99", "#e66101"], opacity: 0.75, scale: 2 },
};

// A map whose evidence for class 1 over class 0 is `evidence(i, j)` in cell (i, j).
function classMap(evidence) {
  const values = new Float32Array(5 * 5 * 2);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) {
    values[(i * 5 + j) * 2] = 10; // class 0's map: only the difference matters
    values[(i * 5 + j) * 2 + 1] = 10 + evidence(i, j);
  }
  return values;
}

function pixel(pixels, x, y) {
  return Array.from(pixels.slice((y * 160 + x) * 4, (y * 160 + x) * 4 + 4));
}

test("even evidence for class 1 is class 1's colour everywhere, its opacity from the scale", () => {
  const pixels = mapPixels(classMap(() => 1), description);
  assert.equal(pixels.length, 160 * 160 * 4);
  const alpha = Math.round(255 * 0.75 * 0.5); // evidence 1 of scale 2
  for (const [x, y] of [[0, 0], [80, 80], [159, 159], [3, 150]]) assert.deepEqual(pixel(pixels, x, y), [0xe6, 0x61, 0x01, alpha]);
});

test("evidence against class 1 takes class 0's colour, at full opacity from the scale on", () => {
  const pixels = mapPixels(classMap(() => -5), description);
  assert.deepEqual(pixel(pixels, 40, 120), [0x5e, 0x3c, 0x99, Math.round(255 * 0.75)]);
});

test("no evidence is transparent", () => {
  const pixels = mapPixels(classMap(() => 0), description);
  assert.equal(pixel(pixels, 80, 80)[3], 0);
});

test("the map is enlarged bilinearly with pixel centres at +0.5 (as tf.image.resize)", () => {
  // Evidence rises left to right: 0, 1, 2, 3, 4 (scale 8, so the opacity follows it).
  const pixels = mapPixels(classMap((i, j) => j), { ...description, class_map: { ...description.class_map, scale: 8 } });
  const opacity = (x) => pixel(pixels, x, 50)[3];
  // Output pixel x reads the map at (x + 0.5) * 5 / 160 - 0.5, clamped to [0, 4].
  const expected = (x) => Math.round(255 * 0.75 * Math.min(Math.max((x + 0.5) * 5 / 160 - 0.5, 0), 4) / 8);
  for (const x of [0, 15, 16, 31, 48, 80, 111, 143, 144, 159]) assert.equal(opacity(x), expected(x), `x = ${x}`);
  assert.equal(opacity(0), 0, "the left edge holds the first cell's value");
  assert.ok(opacity(100) > opacity(60), "it rises with the evidence");
});
