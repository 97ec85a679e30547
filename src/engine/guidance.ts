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
