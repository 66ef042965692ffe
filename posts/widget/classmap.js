// The class map over the photo, as RGBA pixels: a pure function (no DOM), so node --test checks
// it without a browser (tests/widget_js/), and the page only copies its result onto a canvas.
//
// model4.onnx's second output is model4's class activation maps at 5x5 (catsdogs/cam.py):
// map[i, j, c] is how much region (i, j) adds to logit c. We draw the difference of the two
// classes' maps (evidence for class 1 over class 0), enlarged to the photo's size by bilinear
// interpolation with pixel centres at +0.5 (TensorFlow's tf.image.resize, as catsdogs.cam.upsample
// does), in class 1's colour where positive and class 0's where negative, more opaque the stronger
// it is: fully (times the opacity) from the scale on. Colours, opacity and scale come from
// model4.json (catsdogs.map_drawing.overlay_rgba draws the same picture in Python).

function rgb(colour) {
  return [1, 3, 5].map((start) => parseInt(colour.slice(start, start + 2), 16));
}

// Where output pixel `position` (of `outputSize`) reads the map (of `size` cells): the two
// neighbouring cells and the weight of the second.
function source(position, size, outputSize) {
  const coordinate = Math.min(Math.max((position + 0.5) * size / outputSize - 0.5, 0), size - 1);
  const lower = Math.floor(coordinate);
  return [lower, Math.min(lower + 1, size - 1), coordinate - lower];
}

// classMap: the model's map output for one photo, [mapHeight, mapWidth, classes] flattened.
// description: model4.json as readDescription returns it (height, width, class_map).
// Returns a Uint8ClampedArray of width x height RGBA pixels.
export function mapPixels(classMap, description) {
  const { height, width } = description;
  const [, mapHeight, mapWidth, classes] = description.class_map.shape;
  const { scale, opacity } = description.class_map;
  const colours = description.class_map.colours.map(rgb);
  const evidence = new Float32Array(mapHeight * mapWidth);
  for (let cell = 0; cell < evidence.length; cell++) {
    evidence[cell] = classMap[cell * classes + 1] - classMap[cell * classes];
  }
  const columns = Array.from({ length: width }, (_, x) => source(x, mapWidth, width));
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const [top, bottom, down] = source(y, mapHeight, height);
    for (let x = 0; x < width; x++) {
      const [left, right, across] = columns[x];
      const upper = evidence[top * mapWidth + left] + (evidence[top * mapWidth + right] - evidence[top * mapWidth + left]) * across;
      const lower = evidence[bottom * mapWidth + left] + (evidence[bottom * mapWidth + right] - evidence[bottom * mapWidth + left]) * across;
      const value = upper + (lower - upper) * down;
      const colour = colours[value > 0 ? 1 : 0];
      const pixel = (y * width + x) * 4;
      pixels[pixel] = colour[0];
      pixels[pixel + 1] = colour[1];
      pixels[pixel + 2] = colour[2];
      pixels[pixel + 3] = Math.round(255 * opacity * Math.min(Math.abs(value) / scale, 1));
    }
  }
  return pixels;
}
