/**
 * Picks a WebCodecs encoder configuration the browser supports, in Kineto's order of preference per container.
 * DOM-free (only `VideoEncoder.isConfigSupported`), so it runs in the worker.
 */
import { KinetoError } from '../engine/errors';

/** Codec names as mediabunny spells them. */
export const VIDEO_CODECS = ['avc', 'vp9', 'av1', 'vp8'] as const;
export type VideoCodecName = (typeof VIDEO_CODECS)[number];

/** Output container; H.264 is offered for MP4 only (WebM does not carry it). */
export type Container = 'mp4' | 'webm';

/** The chosen encoder configuration. */
export type CodecChoice = {
  /** Full WebCodecs codec string, e.g. `avc1.42001f`. */
  codec: string;
  mediabunnyCodec: VideoCodecName;
  config: VideoEncoderConfig;
  /** Encoded size in pixels; even in both directions (see `adjustedFrom`). */
  width: number;
  height: number;
  /** The requested size when it was odd and had to be rounded up to even, else null. */
  adjustedFrom: { width: number; height: number } | null;
};

/**
 * H.264 levels as (level_idc, MaxFS in macroblocks, MaxMBPS in macroblocks per second), from ITU-T H.264 Table A-1.
 * Starts at 3.1, the level of the default `avc1.42001f`; lower levels would only matter to decoders older than
 * any browser.
 */
const AVC_LEVELS = [
  [0x1f, 3600, 108_000],
  [0x20, 5120, 216_000],
  [0x28, 8192, 245_760],
  [0x2a, 8704, 522_240],
  [0x32, 22_080, 589_824],
  [0x33, 36_864, 983_040],
  [0x34, 36_864, 2_073_600],
  [0x3c, 139_264, 4_177_920],
  [0x3d, 139_264, 8_355_840],
  [0x3e, 139_264, 16_711_680],
] as const;

/** The H.264 Constrained-Baseline-compatible codec string (`avc1.4200LL`) whose level fits this size and rate. */
export function avcCodecString(width: number, height: number, fps: number): string {
  const mbWide = Math.ceil(width / 16);
  const mbHigh = Math.ceil(height / 16);
  const frameMbs = mbWide * mbHigh;
  for (const [idc, maxFs, maxMbps] of AVC_LEVELS) {
    // Table A-1 also bounds each side at sqrt(8 · MaxFS) macroblocks (A.3.1 f, g).
    const maxSide = Math.sqrt(8 * maxFs);
    if (frameMbs <= maxFs && frameMbs * fps <= maxMbps && mbWide <= maxSide && mbHigh <= maxSide) {
      return `avc1.4200${idc.toString(16).padStart(2, '0')}`;
    }
  }
  throw new KinetoError('encode-failed', `${width}×${height} at ${fps} fps is beyond every H.264 level.`);
}

/** Codec strings to try, best first: H.264 plays everywhere, then the royalty-free codecs. */
function candidates(container: Container, width: number, height: number, fps: number): [string, VideoCodecName][] {
  const vp9: [string, VideoCodecName] = ['vp09.00.10.08', 'vp9'];
  const av1: [string, VideoCodecName] = ['av01.0.04M.08', 'av1'];
  if (container === 'webm') return [vp9, av1, ['vp8', 'vp8']];
  return [[avcCodecString(width, height, fps), 'avc'], vp9, av1];
}

/** Target bitrate: generous, since clips are short and upscaled diffusion output is soft and easily smeared. */
export function bitrateFor(width: number, height: number, fps: number): number {
  return Math.round(Math.min(20_000_000, Math.max(1_000_000, width * height * fps * 0.3)));
}

function configFor(codec: string, name: VideoCodecName, width: number, height: number, fps: number): VideoEncoderConfig {
  return {
    codec,
    width,
    height,
    framerate: fps,
    bitrate: bitrateFor(width, height, fps),
    // 'avc' (length-prefixed NALs + avcC description) is what MP4 stores; Annex B would need rewriting.
    ...(name === 'avc' ? { avc: { format: 'avc' as const } } : {}),
  };
}

function checkSize(width: number, height: number, fps: number): void {
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new KinetoError('bad-parameter', `Video ${name} must be a positive integer, got ${v}.`);
  }
  if (!(fps > 0 && Number.isFinite(fps))) throw new KinetoError('bad-parameter', `Video fps must be a positive number, got ${fps}.`);
  if (typeof VideoEncoder === 'undefined') {
    throw new KinetoError('encode-failed', 'This browser has no WebCodecs VideoEncoder; use a recent Chrome, Edge or Firefox, or Safari 17+.');
  }
}

/** Rounds up to even: 4:2:0 chroma halves each side, and H.264 encoders reject odd sizes. */
const even = (n: number) => n + (n % 2);

/** Every codec string this browser can encode at `width`×`height` and `fps`, MP4's order then WebM's extras. */
export async function listEncodableCodecs(width: number, height: number, fps: number): Promise<string[]> {
  checkSize(width, height, fps);
  const w = even(width);
  const h = even(height);
  const all = [...candidates('mp4', w, h, fps), ...candidates('webm', w, h, fps)];
  const unique = all.filter(([codec], i) => all.findIndex(([c]) => c === codec) === i);
  const supported = await Promise.all(unique.map(([codec, name]) => isSupported(configFor(codec, name, w, h, fps))));
  return unique.filter((_, i) => supported[i]).map(([codec]) => codec);
}

/**
 * The first supported encoder configuration for `width`×`height` at `fps`: MP4 tries H.264 baseline, VP9, AV1;
 * WebM tries VP9, AV1, VP8. Odd sizes are rounded up to even (stated in `adjustedFrom`).
 */
export async function chooseVideoCodec(container: Container, width: number, height: number, fps: number): Promise<CodecChoice> {
  checkSize(width, height, fps);
  const w = even(width);
  const h = even(height);
  const tried = candidates(container, w, h, fps);
  for (const [codec, name] of tried) {
    const config = configFor(codec, name, w, h, fps);
    if (await isSupported(config)) {
      const adjustedFrom = w === width && h === height ? null : { width, height };
      return { codec, mediabunnyCodec: name, config, width: w, height: h, adjustedFrom };
    }
  }
  throw new KinetoError(
    'encode-failed',
    `This browser can't encode ${container.toUpperCase()} video at ${w}×${h} (tried ${tried.map(([c]) => c).join(', ')}). ` +
      (container === 'webm' ? 'Try MP4 instead.' : 'Try WebM instead.'),
  );
}

async function isSupported(config: VideoEncoderConfig): Promise<boolean> {
  try {
    const { supported } = await VideoEncoder.isConfigSupported(config);
    return supported === true;
  } catch {
    // isConfigSupported throws TypeError on configs it cannot even parse; for choosing, that is "no".
    return false;
  }
}
