// The toy-data measures of gan_utils.metrics, with the same definitions:
// a sample is high-quality when it lies within num_std of its nearest mode's standard
// deviations; a mode is covered when it received at least min_fraction of all samples
// (and at least one) as high-quality samples.

export function modeAssignments(samples, mixture, numStd = 3.0) {
  const { dim, means, stds } = mixture;
  const count = samples.length / dim;
  const assignments = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let nearest = 0, nearestDistance = Infinity;
    for (let m = 0; m < means.length; m++) {
      let squared = 0;
      for (let d = 0; d < dim; d++) {
        const difference = samples[i * dim + d] - means[m][d];
        squared += difference * difference;
      }
      const distance = Math.sqrt(squared);
      if (distance < nearestDistance) { nearest = m; nearestDistance = distance; }
    }
    assignments[i] = nearestDistance <= numStd * stds[nearest] ? nearest : -1;
  }
  return assignments;
}

export function highQualityFraction(samples, mixture, numStd = 3.0) {
  const assignments = modeAssignments(samples, mixture, numStd);
  let good = 0;
  for (const a of assignments) if (a >= 0) good += 1;
  return good / assignments.length;
}

export function modesCovered(samples, mixture, numStd = 3.0, minFraction = 0.01) {
  const assignments = modeAssignments(samples, mixture, numStd);
  const counts = new Array(mixture.numModes).fill(0);
  for (const a of assignments) if (a >= 0) counts[a] += 1;
  const needed = Math.max(1.0, minFraction * assignments.length);
  return counts.filter((c) => c >= needed).length;
}
