// Algorithm 1 of Goodfellow et al. (2014) as chapter 3 runs it: k discriminator steps on fresh
// minibatches of m real examples and m fakes, then one generator step, each with Adam.
// With simultaneous updates both players take their gradient at the same parameters and
// then both move (one discriminator step per generator step; k does not apply).

import { Random } from "./rng.js";
import { MLP, Adam } from "./mlp.js";
import { discriminatorLoss, generatorLoss, sigmoid, LOSS_NAMES } from "./losses.js";
import { DATASETS } from "./data.js";
import { highQualityFraction, modesCovered } from "./metrics.js";

// Chapter 3's settings (notebooks/03_algorithm.ipynb, the parameters cell).
export const CHAPTER3_SETTINGS = Object.freeze({
  dataset: "ring", loss: "non_saturating", dSteps: 1, dLearningRate: 1e-3, gLearningRate: 1e-3,
  batchSize: 64, noiseDim: 2, hiddenUnits: [64, 64], updates: "alternating", seed: 0,
  metricSamples: 2000,
});

const STREAMS = { weights: 0, training: 1, metricNoise: 2 };

function checkSettings(settings) {
  const problems = [];
  if (!(settings.dataset in DATASETS)) problems.push(`dataset must be one of ${Object.keys(DATASETS).join(", ")}`);
  if (!LOSS_NAMES.includes(settings.loss)) problems.push(`loss must be one of ${LOSS_NAMES.join(", ")}`);
  if (!["alternating", "simultaneous"].includes(settings.updates)) problems.push('updates must be "alternating" or "simultaneous"');
  for (const name of ["dSteps", "batchSize", "noiseDim", "metricSamples"]) {
    if (!Number.isInteger(settings[name]) || settings[name] < 1) problems.push(`${name} must be a positive integer`);
  }
  for (const name of ["dLearningRate", "gLearningRate"]) {
    if (!(settings[name] > 0 && settings[name] < 1)) problems.push(`${name} must be between 0 and 1`);
  }
  if (problems.length) throw new Error(`Bad GAN settings (${JSON.stringify(settings)}): ${problems.join("; ")}.`);
}

function norm(values) {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

export class GanTrainer {
  constructor(settings = {}) {
    this.settings = { ...CHAPTER3_SETTINGS, ...settings };
    checkSettings(this.settings);
    const { dataset, noiseDim, hiddenUnits, seed, dLearningRate, gLearningRate, metricSamples } = this.settings;
    this.mixture = DATASETS[dataset].make();
    this.range = DATASETS[dataset].range;
    const dim = this.mixture.dim;
    const weightRandom = new Random(seed, STREAMS.weights);
    this.generator = new MLP([noiseDim, ...hiddenUnits, dim], "relu", weightRandom);
    this.discriminator = new MLP([dim, ...hiddenUnits, 1], "leaky_relu", weightRandom);
    this.dOptimizer = new Adam(this.discriminator.parameters.length, { learningRate: dLearningRate });
    this.gOptimizer = new Adam(this.generator.parameters.length, { learningRate: gLearningRate });
    this.random = new Random(seed, STREAMS.training);
    // Fixed noise for the measures, so their changes come from training, not from new noise.
    this.metricNoise = new Random(seed, STREAMS.metricNoise).normals(metricSamples * noiseDim);
    this.step = 0;
    this.history = []; // one entry per generator step: { dLoss, gLoss, gradientNorm }
  }

  generate(noise, count) {
    return this.generator.forward(noise, count).output;
  }

  // The samples the measures use: the generator on the fixed noise.
  metricSamples() {
    return this.generate(this.metricNoise, this.settings.metricSamples);
  }

  measure() {
    const samples = this.metricSamples();
    return {
      step: this.step,
      modes: modesCovered(samples, this.mixture),
      quality: highQualityFraction(samples, this.mixture),
      numModes: this.mixture.numModes,
    };
  }

  // One discriminator update on a fresh minibatch; returns its loss.
  discriminatorStep() {
    const { batchSize: m, noiseDim, loss } = this.settings;
    const real = this.mixture.sample(this.random, m);
    const fake = this.generate(this.random.normals(m * noiseDim), m);
    const D = this.discriminator;
    const realTrace = D.forward(real, m), fakeTrace = D.forward(fake, m);
    const d = discriminatorLoss(realTrace.output, fakeTrace.output, loss);
    D.zeroGradients();
    D.backward(realTrace, d.realGradient);
    D.backward(fakeTrace, d.fakeGradient);
    this.dOptimizer.apply(D.parameters, D.gradients);
    return d.value;
  }

  // The generator's gradient through a discriminator trace of its samples (D is not updated).
  generatorGradient(generatorTrace, fakeTrace) {
    const g = generatorLoss(fakeTrace.output, this.settings.loss);
    const sampleGradient = this.discriminator.backward(fakeTrace, g.gradient, false);
    this.generator.zeroGradients();
    this.generator.backward(generatorTrace, sampleGradient);
    return g.value;
  }

  generatorStep() {
    const { batchSize: m, noiseDim } = this.settings;
    const generatorTrace = this.generator.forward(this.random.normals(m * noiseDim), m);
    const fakeTrace = this.discriminator.forward(generatorTrace.output, m);
    const gLoss = this.generatorGradient(generatorTrace, fakeTrace);
    const gradientNorm = norm(this.generator.gradients);
    this.gOptimizer.apply(this.generator.parameters, this.generator.gradients);
    return { gLoss, gradientNorm };
  }

  simultaneousStep() {
    const { batchSize: m, noiseDim, loss } = this.settings;
    const D = this.discriminator, G = this.generator;
    const real = this.mixture.sample(this.random, m);
    const generatorTrace = G.forward(this.random.normals(m * noiseDim), m);
    const realTrace = D.forward(real, m), fakeTrace = D.forward(generatorTrace.output, m);
    const d = discriminatorLoss(realTrace.output, fakeTrace.output, loss);
    D.zeroGradients();
    D.backward(realTrace, d.realGradient);
    D.backward(fakeTrace, d.fakeGradient);
    const gLoss = this.generatorGradient(generatorTrace, fakeTrace); // at the same D as above
    const gradientNorm = norm(G.gradients);
    this.dOptimizer.apply(D.parameters, D.gradients);
    this.gOptimizer.apply(G.parameters, G.gradients);
    return { dLoss: d.value, gLoss, gradientNorm };
  }

  // One generator step of Algorithm 1 (with its k discriminator steps before it).
  trainStep() {
    let record;
    if (this.settings.updates === "simultaneous") {
      record = this.simultaneousStep();
    } else {
      let dLoss = 0;
      for (let i = 0; i < this.settings.dSteps; i++) dLoss = this.discriminatorStep();
      record = { dLoss, ...this.generatorStep() };
    }
    this.step += 1;
    this.history.push(record);
    return record;
  }

  train(steps) {
    for (let i = 0; i < steps; i++) this.trainStep();
  }

  // D(x) on a grid x grid lattice over the plot range (rows from the top), as the chapter's
  // discriminator_surface. With the least-squares loss the raw score is returned instead.
  surface(gridSize) {
    const [low, high] = this.range;
    const dim = this.mixture.dim;
    const count = dim === 1 ? gridSize : gridSize * gridSize;
    const points = new Float64Array(count * dim);
    const coordinate = (i) => low + ((i + 0.5) / gridSize) * (high - low);
    if (dim === 1) {
      for (let i = 0; i < gridSize; i++) points[i] = coordinate(i);
    } else {
      for (let row = 0; row < gridSize; row++) {
        for (let column = 0; column < gridSize; column++) {
          const index = (row * gridSize + column) * 2;
          points[index] = coordinate(column);
          points[index + 1] = coordinate(gridSize - 1 - row);
        }
      }
    }
    const logits = this.discriminator.forward(points, count).output;
    const scores = this.settings.loss === "least_squares" ? logits : logits.map(sigmoid);
    return { points, scores };
  }

  // For the first `count` fixed-noise samples: where they are and the direction the
  // generator's loss moves them, -d(loss)/d(sample), per sample (not averaged).
  sampleGradients(count) {
    const { noiseDim, loss } = this.settings;
    const noise = this.metricNoise.subarray(0, count * noiseDim);
    const samples = this.generate(noise, count);
    const trace = this.discriminator.forward(samples, count);
    const perSample = generatorLoss(trace.output, loss).gradient.map((g) => -g * count);
    return { samples, directions: this.discriminator.backward(trace, perSample, false) };
  }
}
