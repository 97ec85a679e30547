/// <reference lib="webworker" />
/**
 * The engine's home: owns onnxruntime sessions and runs the pipeline and the video encoder off the main thread.
 * This entry wires the parts: each request type has one handler below, typed so that its reply is the one its request
 * asks for; the request queue (request-queue.ts) decides when it runs and lets `cancel` stop it; the model host
 * (model-host.ts) holds the one model in use.
 */
import { CancelledError, KinetoError, toErrorInfo } from '../engine/errors';
import type { LabReplies, LabRequest } from '../lab/lab-protocol';
import { handleLab, labTransferables } from '../lab/lab-worker';
import { probe } from './capabilities';
import { warmUpModel } from './cpu-warm-up';
import { encodeClip } from './encode-clip';
import { encodeFilm } from './encode-film';
import { generate } from './generate';
import { makeShot } from './make-shot';
import { modelsWithEncoder } from './known-frame-runs';
import { holdLifeLock } from './liveness';
import { loadRequested, requireModel, unload } from './model-host';
import type { AutomationRequest, Cancelled, Envelope, Replies, Reply, Request, WorkerEvent } from './protocol';
import { cancelRequest, type Handler, nextMacrotask, type RequestContext, schedule } from './request-queue';
import { AUTOMATION } from '../automation';
import { automationHandlers } from './automation-handlers';
import { deleteModel, listModels, readStorageInfo } from './weight-storage';
import { readFrame } from '../video/read-frame';
import { startSoundWorker } from '../sound-worker/client';

declare const self: DedicatedWorkerGlobalScope;

/** `task`'s result, or `Cancelled` when a `cancel` stopped it (only the requests whose reply allows it use this). */
async function orCancelled<T>(task: Promise<T>): Promise<T | Cancelled> {
  try {
    return await task;
  } catch (e) {
    if (e instanceof CancelledError) return { outcome: 'cancelled' };
    throw e;
  }
}

/** A Lab request (src/lab) on the model in use. */
async function lab<T extends LabRequest>(request: T, { signal, emit }: RequestContext): Promise<LabReplies[T['type']]> {
  // The Lab shows the model's own diffusion process: the quality preset, never a distilled few-step student.
  const { model } = requireModel();
  const run = await model.forPreset('quality');
  return handleLab(request, {
    manifest: run.manifest, models: run.models, signal,
    withEncoder: (cannot) => modelsWithEncoder(model, run, cannot),
    onStage: (stage) => emit({ type: 'stage', stage }),
    onStep: async (step, totalSteps, timestep) => {
      emit({ type: 'step', step, totalSteps, timestep, preview: { width: 0, height: 0, frames: [] } });
      await nextMacrotask();
    },
  });
}

const handlers: { [K in Exclude<Request['type'], AutomationRequest>]: Handler<K> } & { [K in AutomationRequest]?: Handler<K> } = {
  probe: () => probe(),
  'load-model': (request, ctx) => orCancelled(loadRequested(request, ctx)),
  generate: (request, ctx) => orCancelled(generate(request, ctx)),
  'make-shot': (request, ctx) => orCancelled(makeShot(request, ctx)),
  'encode-film': (request, ctx) => orCancelled(encodeFilm(request, ctx)),
  'encode-clip': (request, ctx) => encodeClip(request, ctx),
  'warm-up': (request) => warmUpModel(request),
  cancel: async (request) => ({ cancelled: cancelRequest(request.target) }),
  'read-frame': async (request) => ({ image: await readFrame(request.video, request.frame, request.fps) }),
  unload: async () => {
    await unload();
    return {};
  },
  'list-models': () => listModels(),
  'delete-model': (request) => deleteModel(request.modelId),
  'storage-info': () => readStorageInfo(),
  'lab-run': lab,
  'lab-views': lab,
  'lab-forward': lab,
  'lab-export': (request, ctx) => orCancelled(lab(request, ctx)),
  'lab-conditioning': lab,
  ...(AUTOMATION ? automationHandlers : {}),
};

/** Runs the handler of `request`'s type (the map pairs them; looked up by a union type, that pairing needs one cast). */
function handle(request: Request, ctx: RequestContext): Promise<Replies[Request['type']]> {
  const handler = handlers[request.type] as ((request: Request, ctx: RequestContext) => Promise<Replies[Request['type']]>) | undefined;
  // Only an automation request can be missing: the shipped build has no handler for them.
  if (!handler) throw new KinetoError('internal', `This build of Kineto does not answer '${request.type}' requests.`);
  return handler(request, ctx);
}

function post(reply: Reply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
}

function onRequest(ev: MessageEvent<Envelope>): void {
  if (!ev.data?.request) return;
  const { id, request } = ev.data;
  const emit = (event: WorkerEvent) => post({ id, kind: 'event', event });
  schedule(id, request.type, async (signal) => {
    try {
      const data = await handle(request, { id, signal, emit });
      // Lab images are made per reply and not kept: move them instead of copying.
      post({ id, kind: 'done', data }, request.type.startsWith('lab-') ? labTransferables(data) : []);
    } catch (e) {
      post({ id, kind: 'error', error: toErrorInfo(e) });
    }
  });
}

// onnxruntime-web starts its WASM threads from this same bundle (named "em-pthread…"); those workers belong to
// onnxruntime, so the request handler is installed (and the sound worker started) only in the engine worker itself.
if (!self.name?.startsWith('em-pthread')) {
  self.onmessage = onRequest;
  if (self.name) holdLifeLock(self.name);
  startSoundWorker();
}
