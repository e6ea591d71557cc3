// The toy distributions of gan_utils.data, as mixtures of isotropic Gaussians with equal weights:
// chapter 3's ring and grid, and the 1-D two-Gaussian mixture of chapters 1 and 2.

export class GaussianMixture {
  constructor(means, std) {
    this.means = means; // an array of points, each an array of `dim` numbers
    this.dim = means[0].length;
    this.stds = means.map(() => std);
  }

  get numModes() { return this.means.length; }

  // `count` samples as a Float64Array (count x dim, row-major).
  sample(random, count) {
    const samples = new Float64Array(count * this.dim);
    for (let i = 0; i < count; i++) {
      const mode = random.integer(this.numModes);
      for (let d = 0; d < this.dim; d++) {
        samples[i * this.dim + d] = this.means[mode][d] + this.stds[mode] * random.normal();
      }
    }
    return samples;
  }
}

// gan_utils.data.ring_of_gaussians(num_modes=8, radius=2.0, std=0.02)
export function ringOfGaussians(numModes = 8, radius = 2.0, std = 0.02) {
  const means = [];
  for (let i = 0; i < numModes; i++) {
    const angle = (2 * Math.PI * i) / numModes;
    means.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
  }
  return new GaussianMixture(means, std);
}

// gan_utils.data.grid_of_gaussians(size=5, spacing=2.0, std=0.05)
export function gridOfGaussians(size = 5, spacing = 2.0, std = 0.05) {
  const ticks = Array.from({ length: size }, (_, i) => (i - (size - 1) / 2) * spacing);
  const means = [];
  for (const a of ticks) for (const b of ticks) means.push([a, b]);
  return new GaussianMixture(means, std);
}

// gan_utils.data.gaussian_mixture_1d(means=(-2, 2), stds=(0.5, 0.5))
export function gaussianMixture1d(means = [-2.0, 2.0], std = 0.5) {
  return new GaussianMixture(means.map((m) => [m]), std);
}

export const DATASETS = {
  ring: { make: () => ringOfGaussians(), range: [-3, 3] },
  grid: { make: () => gridOfGaussians(), range: [-6, 6] },
  mixture_1d: { make: () => gaussianMixture1d(), range: [-5, 5] },
};
