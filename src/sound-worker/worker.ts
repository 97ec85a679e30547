/// <reference lib="webworker" />
/**
 * The sound worker: a clip's or a film's sound made and encoded on a thread of its own, started once by the engine
 * worker (client.ts), so the sound is ready about when the engine worker has encoded the video. It keeps the WASM AAC
 * encoder warm for clip after clip (video/aac-stream.ts). Named `worker.ts` so that Vite emits it as
 * `worker-<hash>.js` and hosts serve it with the engine worker's policy (pwa/app-headers.ts), which lets it start
 * that encoder's `blob:` worker. Every failure is answered with the sentence the person sees (handlers.ts):
 * the sound never costs the video.
 */
import { answer } from './handlers';
import type { SoundEnvelope } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = async (event: MessageEvent<SoundEnvelope>) => self.postMessage(await answer(event.data));
