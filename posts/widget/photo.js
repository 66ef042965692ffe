// The reader's photo, as the model sees it: decoded and squashed to the model's input size by
// the browser, as float32 RGB pixels 0-255 in NHWC layout. Two choices, made on purpose:
// - EXIF orientation IS applied (a phone photo is classified the way the phone shows it):
//   browsers apply it when they decode a photo. TensorFlow's decoder, used for training, does
//   not; the training photos carry no rotation, so for them both give the same pixels.
// - Colour profiles are NOT applied (colorSpaceConversion: "none"), like TensorFlow's decoder.
// The browser shrinks the photo with its own smooth ("high" quality) resampling while it
// decodes it; TensorFlow used bilinear interpolation. They differ by a few grey levels.

import { ReaderError } from "./description.js";

export async function readPhoto(file, canvas, width, height) {
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
