/**
 * One foley-and-encode run as the app makes it: frames → makeFoley (src/sound) → the sound's packets (encodeSound,
 * as the sound worker makes them) → encodeVideo muxing them beside the picture (src/video). DOM-free, so the page and
 * its worker share it.
 */
import { CancelledError, KinetoError } from '../../../src/engine/errors';
import { makeFoley } from '../../../src/sound/foley';
import type { AudioChoice } from '../../../src/video/audio';
import type { Container } from '../../../src/video/codec';
import { encodeVideo, NoSound } from '../../../src/video/encode';
import { audioEncoderFor, encodeSound } from '../../../src/video/encode-sound';

/** A clip of `count` square RGBA frames of `size`² (base64, frame after frame), to encode at `outputSize`². */
export type SoundJob = {
  framesBase64: string; size: number; count: number; fps: number; seed: number; container: Container; outputSize: number;
  /** The sound step fails with this reason (as a foley that throws does in the app's worker). */
  soundFails?: string;
};

export type SoundJobResult =
  | {
      ok: true;
      bytes: ArrayBuffer;
      mimeType: string;
      frameCount: number;
      durationSeconds: number;
      audio: AudioChoice | null;
      audioSkipped: string | null;
      /** When the foley struck, seconds from the start. */
      impactSeconds: number[];
    }
  | { ok: false; name: string; code: string | null; message: string };

export async function runSoundJob(job: SoundJob): Promise<SoundJobResult> {
  const binary = atob(job.framesBase64);
  const all = Uint8ClampedArray.from(binary, (c) => c.charCodeAt(0));
  const frameBytes = job.size * job.size * 4;
  const frames = Array.from({ length: job.count }, (_, i) => all.slice(i * frameBytes, (i + 1) * frameBytes));
  try {
    const foley = makeFoley(frames, job.size, job.size, { fps: job.fps, seed: job.seed, trackObject: true });
    const audio = job.soundFails
      ? Promise.reject(new NoSound(job.soundFails))
      : audioEncoderFor(job.container).then((choice) => encodeSound(choice, foley.pcm, job.count / job.fps));
    const video = await encodeVideo(frames, job.size, job.size, {
      fps: job.fps, container: job.container, outputWidth: job.outputSize, outputHeight: job.outputSize, audio,
    });
    return {
      ok: true,
      bytes: await video.blob.arrayBuffer(),
      mimeType: video.mimeType,
      frameCount: video.frameCount,
      durationSeconds: video.durationSeconds,
      audio: video.audio,
      audioSkipped: video.audioSkipped,
      impactSeconds: foley.cues.impacts.map((i) => i.frame / job.fps),
    };
  } catch (e) {
    const name = e instanceof CancelledError ? 'CancelledError' : e instanceof Error ? e.name : 'unknown';
    return { ok: false, name, code: e instanceof KinetoError ? e.code : null, message: String(e) };
  }
}
