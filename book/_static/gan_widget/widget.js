// The live GAN widget: mounts on every <div class="gan-widget"> of the page. It needs no
// server, kernel, network or theme script: this module links its style sheet itself.
//   <div class="gan-widget"></div>
//   <script type="module" src="../_static/gan_widget/widget.js"></script>
// Optional data- attributes on the div preset a control, e.g. data-dataset="mixture_1d",
// data-updates="simultaneous", data-loss="minimax"; data-lang="zh" overrides the page's language.

import { GanTrainer, CHAPTER3_SETTINGS } from "./trainer.js";
import { Random } from "./rng.js";
import { drawSamplesView, drawCurves, readColors } from "./render.js";
import { labelsFor } from "./i18n.js";

const CONTROLS = [
  { name: "dataset", kind: "select", options: ["ring", "grid", "mixture_1d"] },
  { name: "loss", kind: "select", options: ["minimax", "non_saturating", "least_squares"] },
  { name: "updates", kind: "select", options: ["alternating", "simultaneous"] },
  { name: "dSteps", kind: "number", min: 1, max: 10 },
  { name: "dLearningRate", kind: "select", options: [1e-4, 3e-4, 1e-3, 3e-3, 1e-2] },
  { name: "gLearningRate", kind: "select", options: [1e-4, 3e-4, 1e-3, 3e-3, 1e-2] },
  { name: "batchSize", kind: "select", options: [16, 32, 64, 128, 256] },
  { name: "noiseDim", kind: "number", min: 1, max: 8 },
  { name: "seed", kind: "number", min: 0, max: 99999 },
];

const TRAIN_MILLISECONDS_PER_FRAME = 40;
const SURFACE_GRID = 32;
const DATA_POINTS = 1000;
const ARROWS = 24;
let widgetCount = 0;

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function reducedMotion() {
  return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

function format(value) {
  return Number.isFinite(value) ? value.toFixed(3) : String(value);
}

export class GanWidget {
  constructor(root) {
    this.root = root;
    this.labels = labelsFor(root);
    this.id = `gan-widget-${++widgetCount}`;
    const presets = {};
    for (const { name, kind } of CONTROLS) {
      if (root.dataset[name] !== undefined) presets[name] = kind === "number" || name.endsWith("Rate") || name === "batchSize" ? Number(root.dataset[name]) : root.dataset[name];
    }
    this.settings = { ...CHAPTER3_SETTINGS, ...presets };
    this.playing = false;
    this.measures = []; // { time (ms since play or reset), step, modes, quality, numModes }
    this.measureInterval = 500;
    this.build();
    this.reset();
    this.firstFrameMs = performance.now();
    root.dataset.firstFrameMs = this.firstFrameMs.toFixed(0);
  }

  build() {
    const L = this.labels;
    this.root.textContent = "";
    this.root.setAttribute("role", "region");
    this.root.setAttribute("aria-label", L.title);
    const heading = element("p", { class: "gw-title", text: L.title });
    const intro = element("p", { class: "gw-intro", text: L.intro });
    this.inputs = {};
    const fields = CONTROLS.map((control) => {
      const inputId = `${this.id}-${control.name}`;
      let input;
      if (control.kind === "select") {
        input = element("select", { id: inputId });
        for (const option of control.options) {
          input.append(element("option", { value: String(option), text: L[option] || String(option) }));
        }
      } else {
        input = element("input", { id: inputId, type: "number", min: control.min, max: control.max, step: 1, inputmode: "numeric" });
      }
      input.addEventListener("change", () => this.onSettingChanged(control, input));
      this.inputs[control.name] = input;
      return element("div", { class: "gw-field" }, [element("label", { for: inputId, text: L[control.name] }), input]);
    });
    const buttons = element("div", { class: "gw-buttons" });
    this.playButton = element("button", { type: "button", "aria-pressed": "false", text: L.play });
    this.stepButton = element("button", { type: "button", text: L.step });
    this.resetButton = element("button", { type: "button", text: L.reset });
    this.chapterButton = element("button", { type: "button", text: L.chapter3 });
    this.playButton.addEventListener("click", () => (this.playing ? this.pause() : this.play()));
    this.stepButton.addEventListener("click", () => this.stepOnce());
    this.resetButton.addEventListener("click", () => { this.reset(); this.announce(); });
    this.chapterButton.addEventListener("click", () => { this.settings = { ...CHAPTER3_SETTINGS }; this.reset(); this.announce(); });
    buttons.append(this.playButton, this.stepButton, this.resetButton, this.chapterButton);
    const settings = element("fieldset", { class: "gw-settings" }, [element("legend", { text: L.settings }), ...fields]);
    this.samplesCanvas = element("canvas", { class: "gw-samples", role: "img" });
    this.curvesCanvas = element("canvas", { class: "gw-curves", role: "img" });
    this.samplesLegend = element("p", { class: "gw-legend", "aria-hidden": "true" });
    const curvesLegend = element("p", { class: "gw-legend", "aria-hidden": "true" }, [
      ...[["d-loss", L.dLoss], ["g-loss", L.gLoss], ["modes", L.modes], ["quality", L.quality]].map(([color, text]) =>
        element("span", { class: `gw-key gw-key-${color}`, text })),
    ]);
    this.status = element("p", { class: "gw-status" });
    this.live = element("p", { class: "gw-visually-hidden", "aria-live": "polite" });
    const views = element("div", { class: "gw-views" }, [
      element("figure", { class: "gw-view" }, [this.samplesCanvas, this.samplesLegend]),
      element("figure", { class: "gw-view" }, [this.curvesCanvas, curvesLegend]),
    ]);
    this.root.append(heading, intro, buttons, this.status, views, settings,
      element("p", { class: "gw-keys", text: L.keys }), this.live);
    this.root.addEventListener("keydown", (event) => this.onKey(event));
    if (window.ResizeObserver) new ResizeObserver(() => this.draw()).observe(this.root);
    const themeWatch = new MutationObserver(() => this.draw());
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "class"] });
  }

  onKey(event) {
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName);
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const action = { p: () => (this.playing ? this.pause() : this.play()), s: () => this.stepOnce(), r: () => { this.reset(); this.announce(); } }[event.key.toLowerCase()];
    if (action) { event.preventDefault(); action(); }
  }

  onSettingChanged(control, input) {
    let value = input.value;
    if (control.kind === "number") {
      value = Number(value);
      if (!Number.isInteger(value) || value < control.min || value > control.max) {
        input.setCustomValidity(`${this.labels[control.name]}: ${control.min}–${control.max}`);
        input.reportValidity();
        return;
      }
      input.setCustomValidity("");
    } else if (typeof control.options[0] === "number") {
      value = Number(value);
    }
    this.settings = { ...this.settings, [control.name]: value };
    this.reset();
  }

  syncInputs() {
    for (const { name } of CONTROLS) this.inputs[name].value = String(this.settings[name]);
    const simultaneous = this.settings.updates === "simultaneous";
    this.inputs.dSteps.disabled = simultaneous;
    this.inputs.dSteps.title = simultaneous ? this.labels.dStepsSimultaneous : "";
  }

  reset() {
    this.trainer = new GanTrainer(this.settings);
    const mixture = this.trainer.mixture;
    this.dataPoints = mixture.sample(new Random(this.settings.seed, 3), DATA_POINTS);
    if (mixture.dim === 1) {
      const [low, high] = this.trainer.range;
      this.density = Array.from({ length: 241 }, (_, i) => {
        const x = low + ((high - low) * i) / 240;
        const d = mixture.means.reduce((sum, [m], j) => sum + Math.exp(-((x - m) ** 2) / (2 * mixture.stds[j] ** 2)) / (Math.sqrt(2 * Math.PI) * mixture.stds[j]), 0) / mixture.numModes;
        return [x, d];
      });
      this.peakDensity = Math.max(...this.density.map(([, d]) => d));
    }
    this.clockStart = performance.now();
    this.trainingMs = 0;
    this.measures = [];
    this.syncInputs();
    this.measureAndDraw();
  }

  play() {
    if (this.playing) return;
    this.playing = true;
    this.playButton.textContent = this.labels.pause;
    this.playButton.setAttribute("aria-pressed", "true");
    this.lastDraw = performance.now();
    this.stepsAtLastDraw = this.trainer.step;
    requestAnimationFrame(() => this.frame());
  }

  pause() {
    this.playing = false;
    this.playButton.textContent = this.labels.play;
    this.playButton.setAttribute("aria-pressed", "false");
    this.measureAndDraw();
    this.announce();
  }

  stepOnce() {
    if (this.playing) this.pause();
    this.trainer.trainStep();
    this.measureAndDraw();
    this.announce();
  }

  frame() {
    if (!this.playing) return;
    const start = performance.now();
    do this.trainer.trainStep(); while (performance.now() - start < TRAIN_MILLISECONDS_PER_FRAME);
    this.trainingMs += performance.now() - start;
    const now = performance.now();
    // Measuring costs a forward pass over 2,000 samples and the surface: keep it under 20 %.
    const interval = reducedMotion() ? Math.max(1000, this.measureInterval) : this.measureInterval;
    if (now - this.lastDraw >= interval) {
      this.stepsPerSecond = ((this.trainer.step - this.stepsAtLastDraw) * 1000) / (now - this.lastDraw);
      this.lastDraw = now;
      this.stepsAtLastDraw = this.trainer.step;
      const cost = this.measureAndDraw();
      this.measureInterval = Math.max(500, 5 * cost);
    }
    requestAnimationFrame(() => this.frame());
  }

  // Measures the generator on the fixed noise, redraws both views; returns the milliseconds spent.
  measureAndDraw() {
    const start = performance.now();
    const measure = this.trainer.measure();
    this.measures.push({ ...measure, time: start - this.clockStart });
    this.samples = this.trainer.metricSamples();
    this.surface = this.trainer.surface(SURFACE_GRID);
    this.arrows = this.trainer.sampleGradients(this.trainer.mixture.dim === 1 ? 12 : ARROWS);
    this.draw();
    return performance.now() - start;
  }

  draw() {
    if (!this.samples) return;
    const L = this.labels;
    const colors = readColors(this.root);
    const { dim } = this.trainer.mixture;
    drawSamplesView(this.samplesCanvas, {
      dim, range: this.trainer.range, gridSize: SURFACE_GRID, surface: this.surface, samples: this.samples,
      data: this.dataPoints, arrows: this.arrows, density: this.density, peakDensity: this.peakDensity,
    }, colors);
    drawCurves(this.curvesCanvas, this.trainer.history, this.measures, colors, L);
    const latest = this.measures[this.measures.length - 1];
    const record = this.trainer.history[this.trainer.history.length - 1] || { dLoss: NaN, gLoss: NaN, gradientNorm: NaN };
    const summary = { ...latest, dLoss: format(record.dLoss), gLoss: format(record.gLoss), gradientNorm: format(record.gradientNorm) };
    this.samplesCanvas.setAttribute("aria-label", `${L.samplesView}. ${L.samplesDescription(latest)}`);
    this.curvesCanvas.setAttribute("aria-label", `${L.curvesView}. ${L.curvesDescription(summary)}`);
    this.samplesLegend.replaceChildren(
      element("span", { class: "gw-key gw-key-data", text: L.dataLegend }),
      element("span", { class: "gw-key gw-key-fake", text: L.fakeLegend }),
      element("span", { class: "gw-key gw-key-surface", text: this.settings.loss === "least_squares" ? L.scoreLegend : L.surfaceLegend }),
      element("span", { class: "gw-key gw-key-arrow", text: L.arrowLegend }));
    const speed = this.playing && this.stepsPerSecond ? ` · ${this.stepsPerSecond.toFixed(0)} ${L.stepsPerSecond}` : "";
    this.status.textContent = `${this.playing ? L.playing : L.paused} · ${L.stepCount} ${latest.step} · ${L.modes} ${latest.modes}/${latest.numModes} · ${L.quality} ${latest.quality.toFixed(2)} · ${L.gradientNorm} ${summary.gradientNorm}${speed}`;
  }

  announce() {
    this.live.textContent = this.status.textContent;
  }

  // New settings (any of CHAPTER3_SETTINGS's names); training starts again from step 0.
  configure(settings) {
    if (this.playing) this.pause();
    this.settings = { ...this.settings, ...settings };
    this.reset();
  }

  // For tests and the benchmark: the measured samples, as plain numbers.
  exportSamples() {
    const measure = this.trainer.measure();
    return { ...measure, dim: this.trainer.mixture.dim, dataset: this.settings.dataset, samples: Array.from(this.trainer.metricSamples()) };
  }
}

// The style sheet sits beside this module; link it once, relative to the module, not the page.
function linkStyleSheet() {
  const href = new URL("gan_widget.css", import.meta.url).href;
  if ([...document.styleSheets].some((sheet) => sheet.href === href)) return;
  document.head.append(element("link", { rel: "stylesheet", href }));
}

export function mountAll(root = document) {
  linkStyleSheet();
  const widgets = [];
  for (const node of root.querySelectorAll(".gan-widget")) {
    if (!node.ganWidget) node.ganWidget = new GanWidget(node);
    widgets.push(node.ganWidget);
  }
  window.ganWidgets = widgets;
  return widgets;
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => mountAll());
else mountAll();
