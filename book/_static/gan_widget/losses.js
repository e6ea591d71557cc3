// The losses of gan_utils.losses on logits, each with its gradient with respect to the logits.
// A loss is a mean over the minibatch; every function returns { value, gradient }.

export function softplus(x) {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

function meanOf(logits, term) {
  const n = logits.length;
  const gradient = new Float64Array(n);
  let value = 0;
  for (let i = 0; i < n; i++) {
    const [v, g] = term(logits[i]);
    value += v;
    gradient[i] = g / n;
  }
  return { value: value / n, gradient };
}

// The discriminator's losses: value = loss on reals + loss on fakes, one gradient per side.
const DISCRIMINATOR = {
  // -V(D, G) = -E log D(x) - E log(1 - D(G(z))), for minimax and non-saturating alike.
  cross_entropy: {
    real: (l) => [softplus(-l), sigmoid(l) - 1],
    fake: (l) => [softplus(l), sigmoid(l)],
  },
  // LSGAN (Mao et al., 2017): targets 1 for reals and 0 for fakes, on raw scores.
  least_squares: {
    real: (l) => [0.5 * (l - 1) ** 2, l - 1],
    fake: (l) => [0.5 * l * l, l],
  },
};

const GENERATOR = {
  minimax: (l) => [-softplus(l), -sigmoid(l)], // E log(1 - D(G(z))), minimised
  non_saturating: (l) => [softplus(-l), sigmoid(l) - 1], // -E log D(G(z))
  least_squares: (l) => [0.5 * (l - 1) ** 2, l - 1],
};

export const LOSS_NAMES = Object.keys(GENERATOR);

function checkLoss(loss) {
  if (!(loss in GENERATOR)) {
    throw new Error(`loss must be one of ${LOSS_NAMES.join(", ")}; got ${JSON.stringify(loss)}.`);
  }
}

export function discriminatorLoss(realLogits, fakeLogits, loss) {
  checkLoss(loss);
  const terms = DISCRIMINATOR[loss === "least_squares" ? "least_squares" : "cross_entropy"];
  const real = meanOf(realLogits, terms.real);
  const fake = meanOf(fakeLogits, terms.fake);
  return { value: real.value + fake.value, realGradient: real.gradient, fakeGradient: fake.gradient };
}

export function generatorLoss(fakeLogits, loss) {
  checkLoss(loss);
  return meanOf(fakeLogits, GENERATOR[loss]);
}
