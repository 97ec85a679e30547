/**
 * A poster still for the Library grid, taken from the clip itself: the browser decodes its middle frame in a
 * detached <video>, which is drawn small onto a canvas and saved as JPEG. Page-only (DOM).
 */

/** Longest side of a poster, in pixels: sharp in a 2-column phone grid, small in storage (a few KB). */
export const POSTER_SIZE = 192;
const POSTER_TIMEOUT_MS = 5000;

function once(target: EventTarget, ok: string, fail: string): Promise<void> {
  return new Promise((resolve, reject) => {
    target.addEventListener(ok, () => resolve(), { once: true });
    target.addEventListener(fail, () => reject(new Error(`video ${fail}`)), { once: true });
  });
}

/** The poster as a JPEG Blob, or null when this browser cannot decode the clip (the grid then shows a placeholder). */
export async function makePoster(video: Blob, durationSeconds: number): Promise<Blob | null> {
  const url = URL.createObjectURL(video);
  const el = document.createElement('video');
  el.muted = true;
  el.preload = 'auto';
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const work = (async () => {
      const loaded = once(el, 'loadeddata', 'error');
      el.src = url;
      await loaded;
      const seeked = once(el, 'seeked', 'error');
      el.currentTime = durationSeconds / 2;
      await seeked;
      const scale = POSTER_SIZE / Math.max(el.videoWidth, el.videoHeight, 1);
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(el.videoWidth * scale));
      canvas.height = Math.max(1, Math.round(el.videoHeight * scale));
      const ctx = canvas.getContext('2d');
      if (!ctx) return null;
      ctx.drawImage(el, 0, 0, canvas.width, canvas.height);
      return await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
    })();
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), POSTER_TIMEOUT_MS)));
    return await Promise.race([work, timeout]).catch(() => null);
  } finally {
    clearTimeout(timer);
    el.removeAttribute('src');
    el.load();
    URL.revokeObjectURL(url);
  }
}
