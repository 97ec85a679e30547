/**
 * The manifest fields for known frames (issue 17): a conditioned denoiser's `CONDITIONING_ROLES` inputs, the
 * top-level `conditioning` block that says which masks it was trained on, and the VAE encoder that makes known
 * latents from images. Checked after `latent` is read, so shapes are compared with the latent they must match.
 */
import { fail, type Reader } from './manifest-reader';
import type { ComponentSpec, ConditioningMask, ConditioningSpec, LatentSpec, TensorSpec } from './types';
import { CONDITIONING_MASKS, CONDITIONING_ROLES } from './types';

/** The input of `spec` playing `role` (its manifest `role`, else its name). */
export function inputWithRole(spec: ComponentSpec, role: string): TensorSpec | undefined {
  return spec.inputs.find((t) => (t.role ?? t.name) === role);
}

/** Whether a denoiser takes known frames: it declares every one of `CONDITIONING_ROLES`. */
export function takesKnownFrames(spec: ComponentSpec): boolean {
  return CONDITIONING_ROLES.every((role) => inputWithRole(spec, role) !== undefined);
}

/** `dims` as `size` at `index` when that dimension is a number (a symbolic one matches anything). */
function checkDim(where: string, t: TensorSpec, index: number, size: number, what: string): void {
  const d = t.shape[index];
  if (typeof d === 'number' && d !== size) fail(`${where}.shape[${index}]`, `${size} (${what})`, d);
}

/**
 * A denoiser's conditioning inputs, if any: both roles or neither, rank 5 like `sample`, `cond_latents` with the
 * latent's channels and `cond_mask` with one. Returns whether it takes known frames. `where` is the component's
 * path, e.g. "components.denoiser".
 */
export function checkConditioningInputs(spec: ComponentSpec, where: string, latent: LatentSpec): boolean {
  const found = CONDITIONING_ROLES.map((role) => [role, inputWithRole(spec, role)] as const);
  const present = found.filter(([, t]) => t);
  if (present.length === 0) return false;
  if (present.length < found.length) {
    const missing = found.find(([, t]) => !t)![0];
    fail(`${where}.inputs`, `a list with a tensor named "${missing}" (or with "role": "${missing}") beside "${present[0]![0]}": a conditioned denoiser takes both`, spec.inputs.map((t) => t.name));
  }
  for (const [role, t] of found) {
    const i = spec.inputs.indexOf(t!);
    const at = `${where}.inputs[${i}]`;
    if (t!.shape.length !== 5) fail(`${at}.shape`, `5 dimensions [batch, channels, frames, height, width] for "${role}"`, t!.shape);
    checkDim(at, t!, 1, role === 'cond_latents' ? latent.channels : 1, role === 'cond_latents' ? 'latent.channels' : 'one mask channel');
    checkDim(at, t!, 3, latent.height, 'latent.height');
    checkDim(at, t!, 4, latent.width, 'latent.width');
  }
  return true;
}

/**
 * `conditioning`: `{ "masks": ["image_to_video", "continue", …], "continue_max_known": 8 }`, required when a denoiser
 * takes known frames (`conditionedAt` names the first that does) and refused otherwise.
 */
export function parseConditioning(r: Reader, conditionedAt: string | null, latent: LatentSpec): ConditioningSpec | undefined {
  if (!conditionedAt) {
    if (r.has('conditioning')) r.fail('conditioning', `absent: no denoiser has "${CONDITIONING_ROLES.join('" and "')}" inputs`, r.raw('conditioning'));
    return undefined;
  }
  if (!r.has('conditioning')) r.fail('conditioning', `an object with "masks" ("${conditionedAt}" takes known frames)`, undefined);
  const c = r.object('conditioning');
  const raw = c.raw('masks');
  const names = CONDITIONING_MASKS.map((m) => `"${m}"`).join(', ');
  if (!Array.isArray(raw) || raw.length === 0 || !raw.every((m) => (CONDITIONING_MASKS as readonly unknown[]).includes(m)) || new Set(raw).size !== raw.length)
    c.fail('masks', `a non-empty list of distinct mask names from ${names}`, raw);
  const masks = raw as ConditioningMask[];
  const continueMaxKnown = masks.includes('continue')
    ? c.number('continue_max_known', { integer: true, min: 1, max: latent.frames - 1 })
    : 0;
  return { masks, continueMaxKnown };
}

/** `components.vae_encoder`: needs the decoder it inverts; frames [N, 3, H, W] in, latents [N, C, h, w] out. */
export function checkVaeEncoder(spec: ComponentSpec, latent: LatentSpec, hasDecoder: boolean): void {
  const where = 'components.vae_encoder';
  if (!hasDecoder) fail(where, 'absent when there is no "components.vae_decoder" (latents are pixels)', 'an encoder');
  const input = inputWithRole(spec, 'sample');
  if (!input) fail(`${where}.inputs`, 'a list with a tensor named "sample" (or with "role": "sample"): the frames to encode', spec.inputs.map((t) => t.name));
  const at = `${where}.inputs[${spec.inputs.indexOf(input)}]`;
  if (input.shape.length !== 4) fail(`${at}.shape`, '4 dimensions [batch, 3, height, width]', input.shape);
  checkDim(at, input, 1, 3, 'RGB');
  checkDim(at, input, 2, latent.height * latent.vaeScaleFactor, 'latent.height × latent.vae_scale_factor');
  checkDim(at, input, 3, latent.width * latent.vaeScaleFactor, 'latent.width × latent.vae_scale_factor');
  const output = spec.outputs[0]!;
  if (output.shape.length !== 4) fail(`${where}.outputs[0].shape`, '4 dimensions [batch, channels, height, width]', output.shape);
  checkDim(`${where}.outputs[0]`, output, 1, latent.channels, 'latent.channels');
  checkDim(`${where}.outputs[0]`, output, 2, latent.height, 'latent.height');
  checkDim(`${where}.outputs[0]`, output, 3, latent.width, 'latent.width');
}
