/**
 * An `encode-clip` request: frames made elsewhere — Live's recording, window after window — made into a clip's file
 * exactly as `generate` makes its own (clip-file.ts), with the facts of the model in use.
 */
import { KinetoError } from '../engine/errors';
import { encodeClipFile } from './clip-file';
import { requireModel } from './model-host';
import type { Request, Results } from './protocol';
import type { RequestContext } from './request-queue';

export async function encodeClip(req: Extract<Request, { type: 'encode-clip' }>, ctx: RequestContext): Promise<Results['encode-clip']> {
  const startedAt = performance.now();
  if (req.frames.count === 0 || req.frames.rgba.length !== req.frames.count) throw new KinetoError('bad-parameter', `A clip needs its frames (${req.frames.rgba.length} given of ${req.frames.count}).`);
  const { model, backend } = requireModel();
  const { type: _, ...clip } = req;
  return encodeClipFile({ ...clip, startedAt }, model.manifest, backend.backend, ctx);
}
