/**
 * Create's keyframes: Start from an image (by file, drop, paste, or Use this frame on a clip) and, with it, End on an
 * image (the two make the in-betweens), each with how the model will see it. The files themselves are kept, and
 * letterboxed again at Generate, so that a model of another size still gets them whole.
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

/** The two pictures a clip can be given: its first frame and its last. */
export type Keyframe = 'start' | 'end';

export type StartImageSlice = {
  startImage: StartImage | null;
  /** Why the last picture chosen could not be used; null when all is well. */
  startImageProblem: string | null;
  /** The clip's last frame; offered once there is a start image, and dropped with it. */
  endImage: StartImage | null;
  endImageProblem: string | null;
  /** A frame of a clip was just put in (Use this frame): the form shows it and moves the focus to it, once. */
  revealStartImage: boolean;
  /** `picture` as the first frame; `name` names it where it is not a File. */
  chooseStartImage(picture: Blob, name?: string): Promise<void>;
  /** Removes the start image, and the end image with it. */
  clearStartImage(): void;
  chooseEndImage(picture: Blob, name?: string): Promise<void>;
  clearEndImage(): void;
  /** The form has shown the revealed start image. */
  startImageRevealed(): void;
};

/** Where a pasted picture goes: the field with the focus, else the first one empty, else the start. */
export function pasteTarget(has: Record<Keyframe, boolean>, focused: Keyframe | null): Keyframe {
  if (focused === 'end' && has.start) return 'end';
  if (focused === 'start') return 'start';
  return has.start && !has.end ? 'end' : 'start';
}

/** RGBA pixels as a PNG object URL, to show in an `<img>`. */
async function rgbaUrl(rgba: Uint8ClampedArray, width: number, height: number): Promise<string> {
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
  return URL.createObjectURL(await canvas.convertToBlob({ type: 'image/png' }));
}

export const createStartImageSlice: StateCreator<KinetoState, [], [], StartImageSlice> = (set, get) => {
  const imageOf = (which: Keyframe) => (which === 'start' ? get().startImage : get().endImage);
  const problem = (which: Keyframe, message: string) => set(which === 'start' ? { startImageProblem: message } : { endImageProblem: message });
  /** Puts `image` in field `which` (null empties it), releasing the preview it replaces; clears the field's problem. */
  const put = (which: Keyframe, image: StartImage | null) => {
    const old = imageOf(which);
    if (old) URL.revokeObjectURL(old.previewUrl);
    set(which === 'start' ? { startImage: image, startImageProblem: null } : { endImage: image, endImageProblem: null });
  };
  /** Fits `picture` to the model in use and puts it in field `which` (or says why it cannot). */
  const choose = async (which: Keyframe, picture: Blob, name?: string) => {
    const { model } = get();
    if (model.status !== 'ready') return problem(which, 'Wait for the model to load: the picture is fitted to its size.');
    try {
      const fitted = await modelPicture(picture, modelFrameSize(model.manifest));
      const previewUrl = await rgbaUrl(fitted.frame.rgba[0]!, fitted.frame.width, fitted.frame.height);
      const label = name ?? (picture instanceof File && picture.name ? picture.name : 'pasted picture');
      put(which, { name: label, file: picture, previewUrl, changed: fitted.changed });
    } catch (e) {
      problem(which, e instanceof Error ? e.message : String(e));
    }
  };
  return {
    startImage: null,
    startImageProblem: null,
    endImage: null,
    endImageProblem: null,
    revealStartImage: false,
    chooseStartImage: (picture, name) => choose('start', picture, name),
    clearStartImage: () => {
      put('end', null);
      put('start', null);
      set({ revealStartImage: false });
    },
    chooseEndImage: (picture, name) => choose('end', picture, name),
    clearEndImage: () => put('end', null),
    startImageRevealed: () => set({ revealStartImage: false }),
  };
};
