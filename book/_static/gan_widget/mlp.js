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
      const hidden = l + 1 < this.layers.length;
      const y = new Float64Array(count * fanOut);
      for (let i = 0; i < count; i++) {
        const row = i * fanOut;
        for (let j = 0; j < fanOut; j++) y[row + j] = biases[j];
        for (let k = 0; k < fanIn; k++) {
          const a = x[i * fanIn + k];
          if (a === 0) continue;
          const w = k * fanOut;
          for (let j = 0; j < fanOut; j++) y[row + j] += a * weights[w + j];
        }
        if (hidden) {
          for (let j = 0; j < fanOut; j++) if (y[row + j] < 0) y[row + j] *= this.slope;
        }
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
          const row = i * fanOut;
          for (let j = 0; j < fanOut; j++) biasGradients[j] += g[row + j];
          for (let k = 0; k < fanIn; k++) {
            const a = x[i * fanIn + k];
            if (a === 0) continue;
            const w = k * fanOut;
            for (let j = 0; j < fanOut; j++) weightGradients[w + j] += a * g[row + j];
          }
        }
      }
      const inputGradient = new Float64Array(count * fanIn);
      for (let i = 0; i < count; i++) {
        const row = i * fanOut;
        for (let k = 0; k < fanIn; k++) {
          const w = k * fanOut;
          let sum = 0;
          for (let j = 0; j < fanOut; j++) sum += weights[w + j] * g[row + j];
          inputGradient[i * fanIn + k] = sum;
        }
      }
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
