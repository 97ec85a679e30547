/**
 * Classifier-free guidance (Ho & Salimans 2022): ε̃ = ε_uncond + w·(ε_cond − ε_uncond). The same linear
 * combination applies to v- and x0-predictions. `batched` holds [uncond; cond] stacked on the batch axis.
 */
export function applyGuidance(batched: Float32Array, scale: number): Float32Array {
  const n = batched.length / 2;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = batched[i]!;
    out[i] = u + scale * (batched[n + i]! - u);
  }
  return out;
}

/** The same combination from the two branches of separate calls (a denoiser whose batch is fixed at 1). */
export function applyGuidancePair(uncond: Float32Array, cond: Float32Array, scale: number): Float32Array {
  if (uncond.length !== cond.length) throw new RangeError(`Guidance branches differ in size: ${uncond.length} vs ${cond.length}.`);
  const out = new Float32Array(uncond.length);
  for (let i = 0; i < out.length; i++) {
    const u = uncond[i]!;
    out[i] = u + scale * (cond[i]! - u);
  }
  return out;
}
