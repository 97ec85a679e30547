/**
 * Runs sound jobs in a dedicated worker. Named `worker.ts` so that Vite emits it as `assets/worker-<hash>.js` and the
 * harness serves it with the engine worker's Content-Security-Policy: the sound is encoded under the app's rules.
 */
import { runSoundJob, type SoundJob } from './sound-job';

self.onmessage = async (event: MessageEvent<SoundJob>) => {
  const result = await runSoundJob(event.data);
  self.postMessage(result, result.ok ? { transfer: [result.bytes] } : {});
};
