// Drawing on canvases: the samples view (data, generated samples, the discriminator's output,
// the generator's gradient at a few samples) and the curves (losses and measures). Colours
// come from the widget's CSS custom properties, so the dark theme is a style sheet matter.

const COLOR_NAMES = ["background", "foreground", "muted", "data", "fake", "arrow", "heat-low", "heat-mid", "heat-high",
  "d-loss", "g-loss", "modes", "quality"];

export function readColors(element) {
  const style = getComputedStyle(element);
  const colors = {};
  for (const name of COLOR_NAMES) colors[name] = style.getPropertyValue(`--gw-${name}`).trim() || "#888";
  colors.font = `${style.getPropertyValue("--gw-canvas-font").trim() || "12px sans-serif"}`;
  return colors;
}

// Sizes the canvas's pixels to its displayed width (height = width * aspect); returns the context.
export function fitCanvas(canvas, aspect) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(width * aspect));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  const context = canvas.getContext("2d");
  context.setTransform(1, 0, 0, 1, 0, 0);
  return { context, width, height, ratio };
}

function parseColor(color) {
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = color;
  const hex = probe.fillStyle; // normalised to #rrggbb (or rgba(...))
  if (hex.startsWith("#")) return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return hex.match(/[\d.]+/g).slice(0, 3).map(Number);
}

function drawArrow(context, x0, y0, x1, y1, head) {
  const angle = Math.atan2(y1 - y0, x1 - x0);
  context.beginPath();
  context.moveTo(x0, y0);
  context.lineTo(x1, y1);
  context.lineTo(x1 - head * Math.cos(angle - 0.45), y1 - head * Math.sin(angle - 0.45));
  context.moveTo(x1, y1);
  context.lineTo(x1 - head * Math.cos(angle + 0.45), y1 - head * Math.sin(angle + 0.45));
  context.stroke();
}

const ARROW_SCALE = 0.1; // plot units per unit of gradient
const ARROW_CAP = 0.8; // plot units

// view: { range, dim, surface: {scores}, gridSize, samples, data, arrows: {samples, directions} }
export function drawSamplesView(canvas, view, colors) {
  const { context, width, height, ratio } = fitCanvas(canvas, view.dim === 1 ? 0.6 : 1);
  const [low, high] = view.range;
  const px = (x) => ((x - low) / (high - low)) * width;
  context.fillStyle = colors.background;
  context.fillRect(0, 0, width, height);
  const dot = Math.max(1.5, 1.6 * ratio);
  // Three colour stops, so that D(x) = 1/2, where D cannot tell, is the neutral middle.
  const [heatLow, heatMid, heatHigh] = ["heat-low", "heat-mid", "heat-high"].map((name) => parseColor(colors[name]));
  const heat = (score) => {
    const t = Math.min(1, Math.max(0, score));
    const [from, to, u] = t < 0.5 ? [heatLow, heatMid, 2 * t] : [heatMid, heatHigh, 2 * t - 1];
    return from.map((c, i) => Math.round(c + (to[i] - c) * u));
  };
  context.lineWidth = Math.max(1, ratio);
  if (view.dim === 2) {
    const py = (y) => ((high - y) / (high - low)) * height;
    const image = new ImageData(view.gridSize, view.gridSize);
    view.surface.scores.forEach((score, i) => {
      image.data.set([...heat(score), 255], i * 4);
    });
    const tile = document.createElement("canvas");
    tile.width = tile.height = view.gridSize;
    tile.getContext("2d").putImageData(image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.drawImage(tile, 0, 0, width, height);
    context.fillStyle = colors.data;
    for (let i = 0; i < view.data.length; i += 2) context.fillRect(px(view.data[i]) - dot / 2, py(view.data[i + 1]) - dot / 2, dot, dot);
    context.fillStyle = colors.fake;
    for (let i = 0; i < view.samples.length; i += 2) context.fillRect(px(view.samples[i]) - dot / 2, py(view.samples[i + 1]) - dot / 2, dot, dot);
    context.strokeStyle = colors.arrow;
    const { samples, directions } = view.arrows;
    for (let i = 0; i < samples.length; i += 2) {
      const dx = directions[i], dy = directions[i + 1];
      const length = Math.hypot(dx, dy);
      const scale = length > 0 ? Math.min(ARROW_SCALE * length, ARROW_CAP) / length : 0;
      drawArrow(context, px(samples[i]), py(samples[i + 1]), px(samples[i] + dx * scale), py(samples[i + 1] + dy * scale), 5 * ratio);
    }
    return;
  }
  // 1-D: the data's density and a histogram of the samples (same scale), D(x) from 0 to 1.
  const base = height * 0.92, top = height * 0.06;
  const densityScale = (base - top) / 1.2 / view.peakDensity;
  const bins = 60, counts = new Array(bins).fill(0);
  for (const x of view.samples) {
    const bin = Math.floor(((x - low) / (high - low)) * bins);
    if (bin >= 0 && bin < bins) counts[bin] += 1;
  }
  const binWidth = (high - low) / bins;
  context.fillStyle = colors.fake;
  counts.forEach((count, bin) => {
    const density = count / view.samples.length / binWidth;
    const barHeight = density * densityScale;
    context.fillRect(px(low + bin * binWidth) + 0.5, base - barHeight, width / bins - 1, barHeight);
  });
  context.strokeStyle = colors.data;
  context.lineWidth = 2 * ratio;
  context.beginPath();
  view.density.forEach(([x, d], i) => (i ? context.lineTo(px(x), base - d * densityScale) : context.moveTo(px(x), base - d * densityScale)));
  context.stroke();
  context.strokeStyle = colors["heat-high"];
  context.beginPath();
  const gridPoints = view.surface.points;
  view.surface.scores.forEach((score, i) => {
    const y = base - Math.min(1, Math.max(0, score)) * (base - top);
    i ? context.lineTo(px(gridPoints[i]), y) : context.moveTo(px(gridPoints[i]), y);
  });
  context.stroke();
  context.strokeStyle = colors.arrow;
  context.lineWidth = Math.max(1, ratio);
  const { samples, directions } = view.arrows;
  samples.forEach((x, i) => {
    const length = Math.abs(directions[i]);
    const shift = length > 0 ? (Math.min(ARROW_SCALE * length, ARROW_CAP) * Math.sign(directions[i])) : 0;
    const y = base + (height - base) * 0.5;
    drawArrow(context, px(x), y, px(x + shift), y, 4 * ratio);
  });
  context.strokeStyle = colors.muted;
  context.beginPath();
  context.moveTo(0, base);
  context.lineTo(width, base);
  context.stroke();
}

// Averages a long series into at most `points` (step, value) pairs.
function downsample(values, points) {
  const per = Math.max(1, Math.ceil(values.length / points));
  const result = [];
  for (let start = 0; start < values.length; start += per) {
    const part = values.slice(start, start + per);
    result.push([start + part.length, part.reduce((a, b) => a + b, 0) / part.length]);
  }
  return result;
}

function drawPanel(context, box, series, yRange, step, colors, ratio, title) {
  const [x0, y0, w, h] = box;
  const [yLow, yHigh] = yRange;
  context.strokeStyle = colors.muted;
  context.lineWidth = ratio;
  context.strokeRect(x0, y0, w, h);
  context.fillStyle = colors.foreground;
  context.font = colors.font.replace(/(\d+(\.\d+)?)px/, (_, size) => `${size * ratio}px`);
  context.textBaseline = "top";
  context.fillText(title, x0 + 4 * ratio, y0 + 3 * ratio);
  // The axis's ends, right-aligned, below the title's line so that a long title cannot cover them.
  context.textAlign = "right";
  context.fillText(yHigh.toFixed(2), x0 + w - 4 * ratio, y0 + 18 * ratio);
  context.textBaseline = "bottom";
  context.fillText(yLow.toFixed(2), x0 + w - 4 * ratio, y0 + h - 2 * ratio);
  context.textAlign = "left";
  for (const { points, color } of series) {
    if (!points.length) continue;
    context.strokeStyle = color;
    context.lineWidth = 1.5 * ratio;
    context.beginPath();
    points.forEach(([s, v], i) => {
      const x = x0 + (s / Math.max(step, 1)) * w;
      const y = y0 + h - ((v - yLow) / (yHigh - yLow || 1)) * h;
      i ? context.lineTo(x, y) : context.moveTo(x, y);
    });
    context.stroke();
  }
}

// history: per-step records; measures: [{step, modes, quality, numModes}].
export function drawCurves(canvas, history, measures, colors, labels) {
  const { context, width, height, ratio } = fitCanvas(canvas, 0.75);
  context.fillStyle = colors.background;
  context.fillRect(0, 0, width, height);
  const step = Math.max(history.length, 1);
  const dLoss = downsample(history.map((r) => r.dLoss), 300);
  const gLoss = downsample(history.map((r) => r.gLoss), 300);
  const values = [...dLoss, ...gLoss].map(([, v]) => v).filter(Number.isFinite);
  const lossRange = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  const pad = 4 * ratio, half = (height - 3 * pad) / 2;
  drawPanel(context, [pad, pad, width - 2 * pad, half], [
    { points: dLoss, color: colors["d-loss"] }, { points: gLoss, color: colors["g-loss"] },
  ], lossRange, step, colors, ratio, labels.lossPanel);
  drawPanel(context, [pad, 2 * pad + half, width - 2 * pad, half], [
    { points: measures.map((m) => [m.step, m.modes / m.numModes]), color: colors.modes },
    { points: measures.map((m) => [m.step, m.quality]), color: colors.quality },
  ], [0, 1], step, colors, ratio, labels.measurePanel);
}
