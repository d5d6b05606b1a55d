// Measuring side by side: a candidate and its reference run in the same process, in alternating
// rounds, and the ratio of their medians is what counts (the machine is shared and noisy).

/** Runs `fn` `n` times; returns nanoseconds per call. */
export function timeLoop(fn, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - start) / n;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Compares `candidate` with `reference`: `rounds` alternating rounds of `n` calls each, after a
 * warm-up. Returns per-call medians (ns) and their ratio.
 */
export function compare(candidate, reference, { n = 20_000, rounds = 15, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) {
    timeLoop(candidate, n);
    timeLoop(reference, n);
  }
  const a = [];
  const b = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2) {
      b.push(timeLoop(reference, n));
      a.push(timeLoop(candidate, n));
    } else {
      a.push(timeLoop(candidate, n));
      b.push(timeLoop(reference, n));
    }
  }
  const ca = median(a);
  const cb = median(b);
  return { candidate: ca, reference: cb, ratio: ca / cb };
}

export const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
