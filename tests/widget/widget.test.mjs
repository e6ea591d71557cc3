// Unit tests of the widget's modules (book/_static/gan_widget), run by node's test runner:
//   node --test tests/widget/
// tests/test_widget.py runs them in make test; it also checks the measures against
// gan_utils.metrics on samples exported from the page, in headless Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Random } from "../../book/_static/gan_widget/rng.js";
import { MLP, Adam } from "../../book/_static/gan_widget/mlp.js";
import { discriminatorLoss, generatorLoss, LOSS_NAMES } from "../../book/_static/gan_widget/losses.js";
import { ringOfGaussians, gridOfGaussians, gaussianMixture1d } from "../../book/_static/gan_widget/data.js";
import { modeAssignments, modesCovered, highQualityFraction } from "../../book/_static/gan_widget/metrics.js";
import { GanTrainer } from "../../book/_static/gan_widget/trainer.js";
import { LABELS } from "../../book/_static/gan_widget/i18n.js";

function close(actual, expected, tolerance, what) {
  assert.ok(Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${what}: ${actual}, expected ${expected}`);
}

test("the same seed gives the same numbers, another seed others", () => {
  const a = new Random(7), b = new Random(7), c = new Random(8), d = new Random(7, 1);
  const draw = (r) => Array.from({ length: 5 }, () => r.normal());
  const first = draw(a);
  assert.deepEqual(first, draw(b));
  assert.notDeepEqual(first, draw(c));
  assert.notDeepEqual(first, draw(d));
  assert.throws(() => new Random(-1), /seed must be an integer/);
});

test("normal draws have mean 0 and variance 1", () => {
  const values = new Random(0).normals(40000);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.03, `variance ${variance}`);
});

test("each loss's gradient matches finite differences", () => {
  const logits = Float64Array.from([-3.1, -0.4, 0.2, 1.7, 5.0]);
  const h = 1e-6;
  const shifted = (values, i, delta) => { const copy = Float64Array.from(values); copy[i] += delta; return copy; };
  for (const loss of LOSS_NAMES) {
    const g = generatorLoss(logits, loss);
    const d = discriminatorLoss(logits, logits.map((l) => -l), loss);
    for (let i = 0; i < logits.length; i++) {
      const numeric = (generatorLoss(shifted(logits, i, h), loss).value - generatorLoss(shifted(logits, i, -h), loss).value) / (2 * h);
      close(g.gradient[i], numeric, 1e-6, `${loss} generator loss, logit ${i}`);
      const fake = logits.map((l) => -l);
      const realNumeric = (discriminatorLoss(shifted(logits, i, h), fake, loss).value - discriminatorLoss(shifted(logits, i, -h), fake, loss).value) / (2 * h);
      const fakeNumeric = (discriminatorLoss(logits, shifted(fake, i, h), loss).value - discriminatorLoss(logits, shifted(fake, i, -h), loss).value) / (2 * h);
      close(d.realGradient[i], realNumeric, 1e-6, `${loss} discriminator loss, real logit ${i}`);
      close(d.fakeGradient[i], fakeNumeric, 1e-6, `${loss} discriminator loss, fake logit ${i}`);
    }
  }
  assert.throws(() => generatorLoss(logits, "hinge"), /loss must be one of/);
});

test("the minimax and non-saturating losses are gan_utils's on known logits", () => {
  // log(1 - sigmoid(0)) = -log 2 and -log sigmoid(0) = log 2; D's loss at 0, 0 is 2 log 2.
  close(generatorLoss(Float64Array.of(0), "minimax").value, -Math.log(2), 1e-12, "minimax at 0");
  close(generatorLoss(Float64Array.of(0), "non_saturating").value, Math.log(2), 1e-12, "non-saturating at 0");
  close(discriminatorLoss(Float64Array.of(0), Float64Array.of(0), "minimax").value, 2 * Math.log(2), 1e-12, "D at 0");
  // Saturation: where D rejects a fake (logit -8) the minimax gradient is about e^-8, the other about 1.
  assert.ok(Math.abs(generatorLoss(Float64Array.of(-8), "minimax").gradient[0]) < 4e-4);
  assert.ok(Math.abs(generatorLoss(Float64Array.of(-8), "non_saturating").gradient[0]) > 0.99);
});

for (const activation of ["relu", "leaky_relu"]) {
  test(`backpropagation through an MLP (${activation}) matches finite differences`, () => {
    const random = new Random(3);
    const network = new MLP([3, 5, 4, 2], activation, random);
    const count = 4;
    const input = random.normals(count * 3);
    const weights = random.normals(count * 2); // the loss is sum(weights * output)
    const lossAt = () => network.forward(input, count).output.reduce((s, v, i) => s + v * weights[i], 0);
    network.zeroGradients();
    const inputGradient = network.backward(network.forward(input, count), weights);
    const h = 1e-6;
    for (let p = 0; p < network.parameters.length; p++) {
      const saved = network.parameters[p];
      network.parameters[p] = saved + h; const up = lossAt();
      network.parameters[p] = saved - h; const down = lossAt();
      network.parameters[p] = saved;
      close(network.gradients[p], (up - down) / (2 * h), 1e-5, `parameter ${p}`);
    }
    for (let i = 0; i < input.length; i++) {
      const saved = input[i];
      input[i] = saved + h; const up = lossAt();
      input[i] = saved - h; const down = lossAt();
      input[i] = saved;
      close(inputGradient[i], (up - down) / (2 * h), 1e-5, `input ${i}`);
    }
  });
}

test("Glorot-uniform weights within their limit and zero biases, as Keras initialises them", () => {
  const network = new MLP([2, 64, 1], "relu", new Random(0));
  const [first, second] = network.layers;
  const limit = Math.sqrt(6 / (2 + 64));
  assert.ok(first.weights.every((w) => Math.abs(w) <= limit));
  assert.ok(Math.max(...first.weights.map(Math.abs)) > 0.9 * limit);
  assert.ok(first.biases.every((b) => b === 0) && second.biases.every((b) => b === 0));
  assert.throws(() => new MLP([2, 0, 1], "relu", new Random(0)), /sizes must list/);
  assert.throws(() => new MLP([2, 1], "tanh", new Random(0)), /activation must be/);
});

test("Adam's steps are Keras's (beta_1 = 0.5, beta_2 = 0.999, epsilon = 1e-7)", () => {
  const parameters = Float64Array.of(1, 1, 1);
  const optimizer = new Adam(3, { learningRate: 1e-3 });
  const gradient = Float64Array.of(0.5, -20, 0);
  // Keras: alpha = lr sqrt(1 - beta_2^t) / (1 - beta_1^t); p -= alpha m / (sqrt(v) + epsilon).
  let m = 0, v = 0, expected = 1;
  for (let t = 1; t <= 2; t++) {
    optimizer.apply(parameters, gradient);
    m = 0.5 * m + 0.5 * 0.5;
    v = 0.999 * v + 0.001 * 0.25;
    expected -= (1e-3 * Math.sqrt(1 - 0.999 ** t) / (1 - 0.5 ** t)) * m / (Math.sqrt(v) + 1e-7);
    close(parameters[0], expected, 1e-14, `step ${t}`);
  }
  close(parameters[0], 1 - 2e-3, 1e-6, "two steps of about the learning rate each");
  close(parameters[1], 1 + 2e-3, 1e-6, "against the gradient");
  assert.equal(parameters[2], 1);
});

test("the toy distributions are gan_utils.data's", () => {
  const ring = ringOfGaussians();
  assert.equal(ring.numModes, 8);
  close(ring.means[1][0], Math.SQRT2, 1e-12, "ring mode 1, x");
  assert.equal(ring.stds[0], 0.02);
  const grid = gridOfGaussians();
  assert.deepEqual(grid.means[0], [-4, -4]);
  assert.deepEqual(grid.means[24], [4, 4]);
  assert.equal(grid.stds[0], 0.05);
  const mixture = gaussianMixture1d();
  assert.deepEqual(mixture.means, [[-2], [2]]);
  assert.equal(mixture.stds[0], 0.5);
  const samples = ring.sample(new Random(0), 4000);
  assert.equal(highQualityFraction(samples, ring), 1 - [...modeAssignments(samples, ring)].filter((a) => a < 0).length / 4000);
  assert.ok(highQualityFraction(samples, ring) > 0.98);
  assert.equal(modesCovered(samples, ring), 8);
});

test("the measures follow gan_utils.metrics's definitions at their edges", () => {
  const mixture = gaussianMixture1d([-2, 2], 0.5);
  // High quality means within 3 standard deviations (1.5) of the nearest mode: 3.5 is, 3.6 and 0 are not.
  assert.deepEqual([...modeAssignments(Float64Array.of(-2, 3.5, 3.6, 0.0), mixture)], [0, 1, -1, -1]);
  // A mode needs max(1, 1 % of all samples) high-quality samples: 2 of 200 counts, 1 of 200 does not.
  const samples = new Float64Array(200).fill(-2);
  samples[0] = 2; samples[1] = 2;
  assert.equal(modesCovered(samples, mixture), 2);
  samples[1] = -2;
  assert.equal(modesCovered(samples, mixture), 1);
});

test("training is deterministic for a seed and moves the generator", () => {
  const a = new GanTrainer({ seed: 4, batchSize: 16 }), b = new GanTrainer({ seed: 4, batchSize: 16 });
  const before = Array.from(a.metricSamples());
  a.train(20); b.train(20);
  assert.deepEqual(Array.from(a.generator.parameters), Array.from(b.generator.parameters));
  assert.deepEqual(a.history, b.history);
  assert.notDeepEqual(Array.from(a.metricSamples()), before);
  const other = new GanTrainer({ seed: 5, batchSize: 16 });
  other.train(20);
  assert.notDeepEqual(Array.from(other.generator.parameters), Array.from(a.generator.parameters));
  assert.throws(() => new GanTrainer({ loss: "hinge" }), /loss must be one of/);
  assert.throws(() => new GanTrainer({ dSteps: 0 }), /dSteps must be a positive integer/);
});

test("k discriminator steps per generator step, and simultaneous steps from the same point", () => {
  const alternating = new GanTrainer({ seed: 1, dSteps: 3, batchSize: 8 });
  alternating.train(2);
  assert.equal(alternating.dOptimizer.step, 6);
  assert.equal(alternating.gOptimizer.step, 2);
  // A simultaneous step's generator gradient is the one at the discriminator before the step.
  const simultaneous = new GanTrainer({ seed: 1, updates: "simultaneous", batchSize: 8 });
  const probe = new GanTrainer({ seed: 1, updates: "simultaneous", batchSize: 8 });
  simultaneous.trainStep();
  // Replay the step's draws on the probe: real minibatch first, then the generator's noise.
  probe.mixture.sample(probe.random, 8);
  const trace = probe.generator.forward(probe.random.normals(8 * 2), 8);
  probe.generatorGradient(trace, probe.discriminator.forward(trace.output, 8));
  const expected = Math.hypot(...probe.generator.gradients);
  close(simultaneous.history[0].gradientNorm, expected, 1e-12, "gradient norm at the old discriminator");
  assert.equal(simultaneous.dOptimizer.step, 1);
});

test("a confident discriminator starves the minimax generator, not the non-saturating one", () => {
  const norms = {};
  for (const loss of ["minimax", "non_saturating"]) {
    // A strong discriminator (learning rate 1e-2) learns alone, for 60 steps, to reject the fakes.
    const trainer = new GanTrainer({ seed: 0, loss, batchSize: 32, dLearningRate: 1e-2 });
    for (let i = 0; i < 60; i++) trainer.discriminatorStep();
    norms[loss] = trainer.generatorStep().gradientNorm;
  }
  assert.ok(norms.minimax * 100 < norms.non_saturating, JSON.stringify(norms));
});

test("every label exists in both languages", () => {
  assert.deepEqual(Object.keys(LABELS.zh).sort(), Object.keys(LABELS.en).sort());
  for (const [key, value] of Object.entries(LABELS.zh)) {
    const text = typeof value === "function" ? value({ step: 1, modes: 2, numModes: 8, quality: 0.5, dLoss: "1", gLoss: "1", gradientNorm: "1" }) : value;
    assert.ok(/[\u4e00-\u9fff]/.test(text) || /^[\d\s×.]+$/.test(text), `LABELS.zh.${key} is not Chinese: ${text}`);
  }
});
