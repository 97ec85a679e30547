/**
 * A clip's file from its frames, as `generate` and `encode-clip` (Live's recording) make it: its sound (when asked,
 * made from the frames in the sound worker while this one encodes the video), the video, a poster for the Library,
 * and the clip's facts.
 */
import type { MetadataTags } from 'mediabunny';
import type { Backend } from '../engine/backend-choice';
import { type ClipFacts, containerOfMimeType, type LiveFacts, type VideoContainer } from '../engine/clip-facts';
import type { Frames, GenerateParams, ModelManifest } from '../engine/types';
import { requestSound } from '../sound-worker/client';
import { encodeVideo, videoFileName } from '../video/encode';
import { makePoster } from '../video/poster';
import type { RequestContext } from './request-queue';

export type ClipToEncode = {
  frames: Frames;
  params: GenerateParams;
  /** `frames` hold the frames between the model's too: the file plays at twice `params.fps`. */
  smoothMotion: boolean;
  container: VideoContainer;
  sound: boolean;
  tags?: MetadataTags;
  manifestSha256: string;
  unknownWords: string[];
  live?: LiveFacts;
  /** When the request began (performance.now(), ms) and the seconds the model took, for the facts' timings. */
  startedAt: number;
  modelSeconds: number;
};

export type ClipFile = { facts: ClipFacts; video: Blob; poster: Blob | null };

export async function encodeClipFile(clip: ClipToEncode, manifest: ModelManifest, backend: Backend, { emit, signal }: RequestContext): Promise<ClipFile> {
  const { frames, params, smoothMotion } = clip;
  const fps = smoothMotion ? 2 * params.fps : params.fps;
  emit({ type: 'stage', stage: 'encode-video' });
  const tEnc = performance.now();
  const size = params.outputSize;
  const durationSeconds = frames.rgba.length / fps;
  const sound = clip.sound ? requestSound({ type: 'clip', frames, fps, seed: params.seed, modelId: manifest.id, container: clip.container, durationSeconds }) : null;
  // The Library's poster, from the frames in hand (a few ms here instead of decoding the video on the page), made while
  // the video encoder and the sound work: its JPEG is compressed off this thread too.
  const tPoster = performance.now();
  const poster = makePoster(frames.rgba, frames.width, frames.height, size, size)
    .catch(() => null) // no poster is a placeholder in the Library, never a failed clip
    .then((blob) => ({ blob, seconds: (performance.now() - tPoster) / 1000 }));
  const video = await encodeVideo(frames.rgba, frames.width, frames.height, {
    fps,
    container: clip.container,
    outputWidth: size,
    outputHeight: size,
    onFrame: (frame, totalFrames) => emit({ type: 'frame', frame, totalFrames }),
    signal,
    tags: clip.tags,
    audio: sound?.then((s) => s.sound),
  });
  if (video.audioSkipped) emit({ type: 'notice', message: video.audioSkipped });
  const { blob: posterBlob, seconds: posterSeconds } = await poster;
  const now = performance.now();
  // The container the muxer actually wrote, trusting its MIME type over what was asked.
  const container = containerOfMimeType(video.mimeType, clip.container);
  return {
    facts: {
      params,
      model: { id: manifest.id, name: manifest.name, manifestSha256: clip.manifestSha256 },
      backend,
      container,
      mimeType: video.mimeType,
      codec: video.codec,
      width: video.width,
      height: video.height,
      frameCount: video.frameCount,
      fileName: videoFileName(params.seed, params.prompt, container),
      size: video.blob.size,
      unknownWords: clip.unknownWords,
      timings: { totalSeconds: (now - clip.startedAt) / 1000, modelSeconds: clip.modelSeconds, encodeSeconds: (now - tEnc) / 1000, posterSeconds },
      // `video.audio` is set only when the sound came and was muxed.
      sound: sound && video.audio ? (await sound).facts : null,
      soundSkipped: video.audioSkipped,
      ...(smoothMotion ? { smoothMotion: true } : {}),
      ...(clip.live ? { live: clip.live } : {}),
    },
    video: video.blob,
    poster: posterBlob,
  };
}
