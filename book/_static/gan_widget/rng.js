// A seeded pseudo-random generator: the same seed gives the same numbers in every browser.
// mulberry32 (32-bit state) is small and fast; its quality is ample for initial weights,
// noise and minibatches. Normal draws use the Box-Muller transform.

export class Random {
  // `stream` gives independent sequences for one seed (weights, minibatches, fixed noise).
  constructor(seed, stream = 0) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`The seed must be an integer from 0 to 4294967295, got ${seed}.`);
    }
    this.state = (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b9) + Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
    this.spareNormal = null;
  }

  // A uniform number in [0, 1).
  uniform() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  // A standard normal number.
  normal() {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const u = 1 - this.uniform(); // in (0, 1]: log(u) is finite
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  // An integer in [0, count).
  integer(count) {
    return Math.floor(this.uniform() * count);
  }

  // A Float64Array of `count` standard normal numbers.
  normals(count) {
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = this.normal();
    return values;
  }
}
