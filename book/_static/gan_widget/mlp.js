// A multilayer perceptron with hand-written backpropagation, and Adam.
// The layers match gan_utils.models.mlp_generator / mlp_discriminator: dense layers with
// Glorot-uniform weights and zero biases (Keras's defaults), ReLU in the generator,
// leaky ReLU (slope 0.2, Keras's default) in the discriminator, a linear output.
// All parameters live in one Float64Array, so Adam is one loop over one array.

const SLOPES = { relu: 0, leaky_relu: 0.2 };

export class MLP {
  // sizes: [input, hidden..., output]; activation: "relu" or "leaky_relu" for hidden layers.
  constructor(sizes, activation, random) {
    if (!(activation in SLOPES)) {
      throw new Error(`activation must be "relu" or "leaky_relu", got ${JSON.stringify(activation)}.`);
    }
    if (sizes.length < 2 || !sizes.every((size) => Number.isInteger(size) && size >= 1)) {
      throw new Error(`sizes must list at least two positive layer widths, got ${JSON.stringify(sizes)}.`);
    }
    this.sizes = sizes;
    this.slope = SLOPES[activation];
    let count = 0;
    for (let l = 0; l + 1 < sizes.length; l++) count += sizes[l] * sizes[l + 1] + sizes[l + 1];
    this.parameters = new Float64Array(count);
    this.gradients = new Float64Array(count);
    this.layers = [];
    let offset = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      const fanIn = sizes[l], fanOut = sizes[l + 1];
      const weights = this.parameters.subarray(offset, offset + fanIn * fanOut);
      const weightGradients = this.gradients.subarray(offset, offset + fanIn * fanOut);
      offset += fanIn * fanOut;
      const biases = this.parameters.subarray(offset, offset + fanOut);
      const biasGradients = this.gradients.subarray(offset, offset + fanOut);
      offset += fanOut;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < weights.length; i++) weights[i] = (2 * random.uniform() - 1) * limit;
      this.layers.push({ fanIn, fanOut, weights, biases, weightGradients, biasGradients });
    }
  }

  get inputSize() { return this.sizes[0]; }
  get outputSize() { return this.sizes[this.sizes.length - 1]; }

  // Runs `count` rows of `input` (count x inputSize, row-major). Returns the trace that
  // backward() needs; trace.output is the network's output (count x outputSize).
  forward(input, count) {
    const activations = [input];
    let x = input;
    this.layers.forEach(({ fanIn, fanOut, weights, biases }, l) => {
      const y = new Float64Array(count * fanOut);
      for (let i = 0; i < count; i++) y.set(biases, i * fanOut);
      multiplyAdd(x, weights, y, count, fanIn, fanOut);
      if (l + 1 < this.layers.length) {
        for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] *= this.slope;
      }
      activations.push(y);
      x = y;
    });
    return { count, activations, output: x };
  }

  // Backpropagates d(loss)/d(output) through a trace. Adds the parameter gradients to
  // this.gradients when accumulate is true; returns d(loss)/d(input).
  backward(trace, outputGradient, accumulate = true) {
    const { count, activations } = trace;
    let g = outputGradient;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { fanIn, fanOut, weights, weightGradients, biasGradients } = this.layers[l];
      const x = activations[l];
      if (accumulate) {
        for (let i = 0; i < count; i++) {
          for (let j = 0; j < fanOut; j++) biasGradients[j] += g[i * fanOut + j];
        }
        accumulateOuterProducts(x, g, weightGradients, count, fanIn, fanOut);
      }
      const inputGradient = multiplyTransposed(g, weights, count, fanIn, fanOut);
      if (l > 0) {
        // The activation's derivative, read from its output: the sign survives (leaky) ReLU.
        for (let i = 0; i < inputGradient.length; i++) if (x[i] <= 0) inputGradient[i] *= this.slope;
      }
      g = inputGradient;
    }
    return g;
  }

  zeroGradients() { this.gradients.fill(0); }
}

// The three products of a dense layer. Each works on four rows at a time, so that a weight read
// once serves four samples (2-3 times faster in V8 than one row at a time); every sum is still
// taken in the same order as the one-row loop, so the results are the same to the last bit.

// y (count x fanOut) += x (count x fanIn) @ weights (fanIn x fanOut)
function multiplyAdd(x, weights, y, count, fanIn, fanOut) {
  let i = 0;
  for (; i + 3 < count; i += 4) {
    const r0 = i * fanOut, r1 = r0 + fanOut, r2 = r1 + fanOut, r3 = r2 + fanOut;
    const x0 = i * fanIn, x1 = x0 + fanIn, x2 = x1 + fanIn, x3 = x2 + fanIn;
    for (let k = 0; k < fanIn; k++) {
      const a0 = x[x0 + k], a1 = x[x1 + k], a2 = x[x2 + k], a3 = x[x3 + k];
      const w = k * fanOut;
      for (let j = 0; j < fanOut; j++) {
        const v = weights[w + j];
        y[r0 + j] += a0 * v; y[r1 + j] += a1 * v; y[r2 + j] += a2 * v; y[r3 + j] += a3 * v;
      }
    }
  }
  for (; i < count; i++) {
    const row = i * fanOut;
    for (let k = 0; k < fanIn; k++) {
      const a = x[i * fanIn + k], w = k * fanOut;
      for (let j = 0; j < fanOut; j++) y[row + j] += a * weights[w + j];
    }
  }
}

// gradients (fanIn x fanOut) += x^T (fanIn x count) @ g (count x fanOut), summed over rows in order
function accumulateOuterProducts(x, g, gradients, count, fanIn, fanOut) {
  let i = 0;
  for (; i + 3 < count; i += 4) {
    const r0 = i * fanOut, r1 = r0 + fanOut, r2 = r1 + fanOut, r3 = r2 + fanOut;
    const x0 = i * fanIn, x1 = x0 + fanIn, x2 = x1 + fanIn, x3 = x2 + fanIn;
    for (let k = 0; k < fanIn; k++) {
      const a0 = x[x0 + k], a1 = x[x1 + k], a2 = x[x2 + k], a3 = x[x3 + k];
      const w = k * fanOut;
      for (let j = 0; j < fanOut; j++) {
        let sum = gradients[w + j];
        sum += a0 * g[r0 + j]; sum += a1 * g[r1 + j]; sum += a2 * g[r2 + j]; sum += a3 * g[r3 + j];
        gradients[w + j] = sum;
      }
    }
  }
  for (; i < count; i++) {
    const row = i * fanOut;
    for (let k = 0; k < fanIn; k++) {
      const a = x[i * fanIn + k], w = k * fanOut;
      for (let j = 0; j < fanOut; j++) gradients[w + j] += a * g[row + j];
    }
  }
}

// returns g (count x fanOut) @ weights^T (fanOut x fanIn)
function multiplyTransposed(g, weights, count, fanIn, fanOut) {
  const result = new Float64Array(count * fanIn);
  let i = 0;
  for (; i + 3 < count; i += 4) {
    const r0 = i * fanOut, r1 = r0 + fanOut, r2 = r1 + fanOut, r3 = r2 + fanOut;
    for (let k = 0; k < fanIn; k++) {
      const w = k * fanOut;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < fanOut; j++) {
        const v = weights[w + j];
        s0 += v * g[r0 + j]; s1 += v * g[r1 + j]; s2 += v * g[r2 + j]; s3 += v * g[r3 + j];
      }
      result[i * fanIn + k] = s0; result[(i + 1) * fanIn + k] = s1;
      result[(i + 2) * fanIn + k] = s2; result[(i + 3) * fanIn + k] = s3;
    }
  }
  for (; i < count; i++) {
    const row = i * fanOut;
    for (let k = 0; k < fanIn; k++) {
      const w = k * fanOut;
      let sum = 0;
      for (let j = 0; j < fanOut; j++) sum += weights[w + j] * g[row + j];
      result[i * fanIn + k] = sum;
    }
  }
  return result;
}

// Adam (Kingma and Ba, 2015) as Keras computes it: bias correction folded into the step size,
// epsilon added to sqrt(v).
export class Adam {
  constructor(parameterCount, { learningRate, beta1 = 0.5, beta2 = 0.999, epsilon = 1e-7 }) {
    if (!(learningRate > 0)) throw new Error(`learningRate must be positive, got ${learningRate}.`);
    Object.assign(this, { learningRate, beta1, beta2, epsilon, step: 0 });
    this.m = new Float64Array(parameterCount);
    this.v = new Float64Array(parameterCount);
  }

  apply(parameters, gradients) {
    this.step += 1;
    const { beta1, beta2, epsilon, m, v } = this;
    const alpha = this.learningRate * Math.sqrt(1 - beta2 ** this.step) / (1 - beta1 ** this.step);
    for (let i = 0; i < parameters.length; i++) {
      const g = gradients[i];
      m[i] += (g - m[i]) * (1 - beta1);
      v[i] += (g * g - v[i]) * (1 - beta2);
      parameters[i] -= alpha * m[i] / (Math.sqrt(v[i]) + epsilon);
    }
  }
}
