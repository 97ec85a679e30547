/**
 * One frame of a clip's video file as a PNG: what Use this frame puts in the form. Decoded with mediabunny (WebCodecs)
 * and drawn on an OffscreenCanvas, so it runs in the worker, on the file the page already holds.
 */
import { ALL_FORMATS, BlobSource, CanvasSink, Input } from 'mediabunny';
import { KinetoError } from '../engine/errors';
import { frameMidTime } from './frame-time';

/** Frame `frame` (from 0) of `video`, a file of constant `fps`, at the file's own size. */
export async function readFrame(video: Blob, frame: number, fps: number): Promise<Blob> {
  if (!Number.isInteger(frame) || frame < 0 || !(fps > 0))
    throw new KinetoError('bad-parameter', `A frame is a whole number from 0 at a frame rate above 0 (got frame ${frame} at ${fps} fps).`);
  const input = new Input({ source: new BlobSource(video), formats: ALL_FORMATS });
  try {
    const track = await input.getPrimaryVideoTrack().catch(() => null);
    if (!track) throw new KinetoError('bad-parameter', 'This file has no video Kineto can read.');
    // A file's first frame need not be at 0 (an edit list); times count from it.
    const at = (await track.getFirstTimestamp()) + frameMidTime(frame, fps);
    const shown = await new CanvasSink(track).getCanvas(at);
    if (!shown) throw new KinetoError('bad-parameter', `The file has no frame ${frame + 1}.`);
    const canvas = new OffscreenCanvas(shown.canvas.width, shown.canvas.height);
    canvas.getContext('2d')!.drawImage(shown.canvas, 0, 0);
    return await canvas.convertToBlob({ type: 'image/png' });
  } finally {
    input.dispose();
  }
}
