/** Runs encoder jobs in a dedicated worker, as the app does, proving src/video needs no DOM. */
import { runEncodeJob, type EncodeJob } from './encode-job';

self.onmessage = async (event: MessageEvent<EncodeJob>) => {
  const result = await runEncodeJob(event.data);
  self.postMessage(result, result.ok ? { transfer: [result.bytes] } : {});
};
