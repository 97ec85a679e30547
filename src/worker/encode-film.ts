/**
 * An `encode-film` request: a film's shots → one video. The frames are crossfaded on the timeline (films/crossfade.ts);
 * with Sound on, each shot's foley is made from its own frames and the tracks joined the way the pictures are (a cut
 * starts fresh, a crossfade crossfades: films/film-sound.ts); captions are drawn in when the board says so.
 */
import { containerOfMimeType } from '../engine/clip-facts';
import { burnCaption } from '../films/burn-captions';
import { assembleFilm } from '../films/crossfade';
import { filmSoundTrack } from '../films/film-sound';
import type { StereoPcm } from '../sound/pcm';
import { encodeVideo, NoSound } from '../video/encode';
import { makePoster } from '../video/poster';
import { resizeRgba } from '../video/resize';
import type { Request, Results } from './protocol';
import type { RequestContext } from './request-queue';

/** One track for the film (Sound on; films/film-sound.ts); a failure costs only the sound. */
function filmSound(req: Extract<Request, { type: 'encode-film' }>): StereoPcm {
  try {
    return filmSoundTrack(req.shots, req.timeline, req.seeds, req.modelId);
  } catch (e) {
    throw new NoSound(`The film's sound could not be made (${e instanceof Error ? e.message : String(e)}), so the film has no sound.`);
  }
}

export async function encodeFilm(req: Extract<Request, { type: 'encode-film' }>, { emit, signal }: RequestContext): Promise<Results['encode-film']> {
  const { timeline, shots } = req;
  const film = assembleFilm(timeline, shots);
  const { fps } = timeline;
  // Made by the encoder once it has an audio encoder for it.
  const audio = req.sound ? () => filmSound(req) : undefined;
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
