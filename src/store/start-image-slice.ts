/**
 * Create's Start from an image: the picture chosen (by file, drop or paste) and how the model will see it. The file
 * itself is kept, and letterboxed again at Generate, so that a model of another size still gets it whole.
 */
import type { StateCreator } from 'zustand';
import { modelFrameSize } from '../engine/continuation';
import { modelPicture } from '../films/model-picture';
import type { KinetoState } from './index';

export type StartImage = {
  name: string;
  file: Blob;
  /** An object URL of the picture as the model sees it (letterboxed at its size). */
  previewUrl: string;
  /** What was done to it to fit the model, or null. */
  changed: string | null;
};

export type StartImageSlice = {
  startImage: StartImage | null;
  /** Why the last picture chosen could not be used; null when all is well. */
  startImageProblem: string | null;
  chooseStartImage(file: File): Promise<void>;
  clearStartImage(): void;
};

/** RGBA pixels as a PNG object URL, to show in an `<img>`. */
async function rgbaUrl(rgba: Uint8ClampedArray, width: number, height: number): Promise<string> {
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  return URL.createObjectURL(await canvas.convertToBlob({ type: 'image/png' }));
}

export const createStartImageSlice: StateCreator<KinetoState, [], [], StartImageSlice> = (set, get) => ({
  startImage: null,
  startImageProblem: null,
  chooseStartImage: async (file) => {
    const { model } = get();
    if (model.status !== 'ready') {
      set({ startImageProblem: 'Wait for the model to load: the picture is fitted to its size.' });
      return;
    }
    try {
      const picture = await modelPicture(file, modelFrameSize(model.manifest));
      const frame = picture.frame.rgba[0]!;
      const previewUrl = await rgbaUrl(frame, picture.frame.width, picture.frame.height);
      get().clearStartImage();
      set({ startImage: { name: file.name || 'pasted picture', file, previewUrl, changed: picture.changed }, startImageProblem: null });
    } catch (e) {
      set({ startImageProblem: e instanceof Error ? e.message : String(e) });
    }
  },
  clearStartImage: () => {
    const old = get().startImage;
    if (old) URL.revokeObjectURL(old.previewUrl);
    set({ startImage: null, startImageProblem: null });
  },
});
