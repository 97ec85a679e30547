/**
 * Every error code as a sentence a person can act on: what went wrong, then what to do. The worker's own message
 * is shown beside it (`detail`), unless the sentence already quotes it.
 */
import type { ErrorCode, ErrorInfo, ErrorReason } from '../engine/errors';

const SENTENCES: Record<ErrorCode, (message: string, reason?: ErrorReason) => string> = {
  'bad-prompt': () => 'Kineto could not use this prompt. Rephrase it with a few plain words and try again.',
  'bad-parameter': () => 'One of the settings is outside what this model accepts. Check the fields and try again.',
  'bad-manifest': () =>
    "The model's description file (manifest.json) is invalid, so the model can't be loaded. Re-download the model or pick another one.",
  'model-file-missing': (m) => `A model file is missing: ${m}. Re-download the model or pick another one.`,
  'model-file-corrupt': (m) =>
    `A model file is damaged or incomplete: ${m} Press “Try loading again” to download it afresh (for a model folder, replace the file).`,
  'model-load-failed': () =>
    'The model could not be started on this backend. Try the other Backend setting (CPU (WASM) works everywhere).',
  'webgpu-unavailable': () => "Your browser can't run WebGPU here, so Kineto uses the CPU (WASM) instead.",
  'backend-failed': () =>
    'The graphics backend failed while generating. Kineto switches to the CPU (WASM); press Generate again if the run stopped.',
  'out-of-memory': () =>
    'Kineto ran out of memory. Lower the Output size or the number of Frames, close other tabs, or choose CPU (WASM).',
  'release-needed': (m) => m,
  'quota-exceeded': (m, reason) =>
    reason === 'space-short'
      ? `There is not enough storage for this model. ${m}`
      : "The browser's storage for this site is full, so the model can't be kept. Delete stored models you no longer need (Model panel), then try again.",
  network: () =>
    'A download failed. Check your connection and press “Try loading again”: a model download resumes where it stopped.',
  'encode-failed': () =>
    'The video could not be encoded. Try the other Format (MP4 / WebM) or a smaller Output size.',
  internal: () => 'Something went wrong inside Kineto. Reload the page and try again; if it happens again, please report it.',
};

/** The sentence for an error, and the worker's message when the sentence does not already include it. */
export function explainError(info: ErrorInfo): { sentence: string; detail: string | null } {
  // A code from a newer worker than this page still gets a sentence.
  const make: ((message: string, reason?: ErrorReason) => string) | undefined = SENTENCES[info.code];
  const sentence = (make ?? SENTENCES.internal)(info.message, info.reason);
  const detail = info.message.trim() === '' || sentence.includes(info.message) ? null : info.message;
  return { sentence, detail };
}
