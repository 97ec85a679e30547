/**
 * An `encode-film` request: a film's shots → one video. The frames are crossfaded on the timeline (films/crossfade.ts);
 * with Sound on, each shot's foley is made from its own frames and the tracks joined the way the pictures are (a cut
 * starts fresh, a crossfade crossfades: films/film-sound.ts), in the sound worker while this one encodes the video;
 * captions are drawn in when the board says so.
 */
import { containerOfMimeType } from '../engine/clip-facts';
import { burnCaption } from '../films/burn-captions';
import { assembleFilm } from '../films/crossfade';
import { requestSound } from '../sound-worker/client';
import { encodeVideo } from '../video/encode';
import { makePoster } from '../video/poster';
import { resizeRgba } from '../video/resize';
import type { Request, Results } from './protocol';
import type { RequestContext } from './request-queue';

export async function encodeFilm(req: Extract<Request, { type: 'encode-film' }>, { emit, signal }: RequestContext): Promise<Results['encode-film']> {
  const { timeline, shots } = req;
  const film = assembleFilm(timeline, shots);
  const { fps } = timeline;
  const { modelId, seeds, container } = req;
  const audio = req.sound
    ? requestSound({ type: 'film', shots, timeline, seeds, modelId, container, durationSeconds: film.rgba.length / fps }).then((s) => s.sound)
    : undefined;
  let frames = film.rgba;
  let { width, height } = film;
  const captions = req.burnCaptions;
  if (captions?.some((c) => c)) {
    // Drawn at the output size, where the text is sharp: at the model's size a caption would be a few pixels high.
    const size = req.outputSize;
    frames = frames.map((f, n) => {
      const out = resizeRgba(f, width, height, size, size);
      const shot = timeline.shots.findIndex((s) => n <= s.last);
      const text = captions[shot];
      if (text) burnCaption(out, size, size, text);
      return out;
    });
    width = height = size;
  }
  emit({ type: 'stage', stage: 'encode-video' });
  const video = await encodeVideo(frames, width, height, {
    fps, container: req.container, outputWidth: req.outputSize, outputHeight: req.outputSize, audio, signal,
    onFrame: (frame, totalFrames) => emit({ type: 'frame', frame, totalFrames }),
  });
  if (video.audioSkipped) emit({ type: 'notice', message: video.audioSkipped });
  // The Library's poster, from the frames in hand (as for a clip: worker/generate.ts).
  const poster = await makePoster(frames, width, height, video.width, video.height);
  return {
    video: video.blob, mimeType: video.mimeType, container: containerOfMimeType(video.mimeType, req.container), frameCount: video.frameCount,
    width: video.width, height: video.height, audio: video.audio !== null, poster,
  };
}
