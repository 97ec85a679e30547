/**
 * A span of a video file as a file of its own, in the same container (a film's shot opened as a clip), through
 * mediabunny's Conversion. The pictures are decoded and encoded again: a shot seldom starts on a key frame, and a copy
 * would have to begin at the key frame before it, inside the shot before. The sound is copied where the container
 * allows (MP4: its edit list hides the one packet of decoder warm-up before the span) and else encoded again, so no
 * AAC encoder is needed on the page (Debian's Chromium has none, and the WASM one would start a worker from a blob:
 * URL, which the app's CSP forbids there). DOM-free (WebCodecs and mediabunny only), like the rest of src/video.
 */
import { ALL_FORMATS, BlobSource, BufferTarget, Conversion, Input, Mp4OutputFormat, Output, Quality, WebMOutputFormat } from 'mediabunny';
import { bitrateFor, type Container } from './codec';

/** The frames and sound of `video` from `startSeconds` to `endSeconds`, at `fps`, as a `container` file. */
export async function cutVideo(video: Blob, container: Container, startSeconds: number, endSeconds: number, fps: number): Promise<Blob> {
  const input = new Input({ source: new BlobSource(video), formats: ALL_FORMATS });
  try {
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new Error('the file has no video track');
    const target = new BufferTarget();
    const output = new Output({ format: container === 'mp4' ? new Mp4OutputFormat({ fastStart: 'in-memory' }) : new WebMOutputFormat(), target });
    const conversion = await Conversion.init({
      input,
      output,
      trim: { start: startSeconds, end: endSeconds },
      video: { forceTranscode: true, codec: track.codec ?? undefined, quality: new Quality({ bitrate: bitrateFor(track.displayWidth, track.displayHeight, fps) }) },
      showWarnings: false,
    });
    if (!conversion.isValid) throw new Error(`it could not be converted (${conversion.discardedTracks.map((d) => d.reason).join(', ')})`);
    await conversion.execute();
    if (!target.buffer) throw new Error('the muxer produced no bytes');
    return new Blob([target.buffer], { type: await output.getMimeType() });
  } finally {
    input.dispose();
  }
}
