// The widget's check in any browser: run in the page by each engine's driver
// (tests/widget_engines.py: Playwright for Chromium, puppeteer-core for Firefox, Selenium for
// WebKitGTK), after the driver has loaded the model with the keyboard. An async function of
// `job` ({photos: [{name, url, type}], timeoutMs}): it gives the widget each photo through its
// "Choose a photo" input, in one go, then a file that is not an image and an empty file, then
// the first photo again, and returns what the page showed for each.
async (job) => {
  const root = document.querySelector(".cdc");
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  async function until(condition, what) {
    const end = performance.now() + job.timeoutMs;
    while (!condition()) {
      if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(10);
    }
  }
  function shown(element) {
    return !element.hidden && element.getBoundingClientRect().width > 0;
  }
  async function handle(file) {
    const runs = Number(root.dataset.runs);
    const input = root.querySelector(".cdc-input");
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    await until(() => Number(root.dataset.runs) > runs, file.name);
    const map = root.querySelector(".cdc-map");
    let mapAlpha = 0; // the map's total opacity: zero when nothing is drawn
    if (shown(map)) {
      const data = map.getContext("2d").getImageData(0, 0, map.width, map.height).data;
      for (let index = 3; index < data.length; index += 4) mapAlpha += data[index];
    }
    return {
      name: file.name,
      state: root.dataset.state,
      message: root.querySelector(".cdc-status").textContent,
      messageShown: shown(root.querySelector(".cdc-status")),
      label: root.dataset.label || null,
      answer: root.querySelector(".cdc-answer").textContent,
      probabilities: root.dataset.probabilities ? JSON.parse(root.dataset.probabilities) : null,
      mapShown: shown(map),
      mapKeyShown: shown(root.querySelector(".cdc-map-key")),
      mapAlpha,
      totalMs: root.dataset.totalMs === undefined ? null : Number(root.dataset.totalMs),
    };
  }
  const files = [];
  for (const photo of job.photos) {
    const blob = await (await fetch(photo.url)).blob();
    files.push(new File([blob], photo.name, { type: photo.type }));
  }
  const started = performance.now();
  const photos = [];
  for (const file of files) photos.push(await handle(file));
  const photosMs = performance.now() - started;
  const bad = [
    await handle(new File(["not a photo at all\n"], "notes.txt", { type: "text/plain" })),
    await handle(new File([], "empty.jpg", { type: "image/jpeg" })),
  ];
  const again = await handle(files[0]);
  return { userAgent: navigator.userAgent, photos, photosMs, bad, again };
}
