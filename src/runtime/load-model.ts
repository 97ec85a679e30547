/**
 * Loads a model package: manifest → tokenizer → each ONNX file (with progress, size and sha256 checks before
 * onnxruntime ever sees the bytes) → sessions on the chosen execution provider.
 */
import type * as Ort from 'onnxruntime-common';
import { KinetoError } from '../engine/errors';
import { externalDataFile, parseManifest } from '../engine/manifest';
import type { PipelineModels } from '../engine/pipelines/shared';
import { defaultPreset, offeredPresets, PRESET_LABELS, resolvePreset, withPresetDenoiser } from '../engine/presets';
import type { ComponentName, ComponentSpec, ModelManifest, PresetName, VaeEncoderModel } from '../engine/types';
import { pickVariants, type VariantPick, type VariantTarget } from '../engine/variants';
import { sha256Hex } from '../hash/sha256';
import { rewriteCrossFrameAttention } from '../onnx/cross-frame-attention';
import { createTokenizer } from '../tokenizer';
import type { FileExpectation, FileSource } from '../weights/file-source';
import {
  createSession, type ExecutionProvider, type OrtModule, OrtDenoiser, OrtTextEncoder, OrtVaeDecoder, OrtVaeEncoder, RunClock,
} from './sessions';

export type LoadProgress = { stage: 'manifest' | 'download' | 'verify' | 'session'; file: string | null; loadedBytes: number; totalBytes: number };

export type LoadedModel = {
  /** The manifest with the picked weight variants in `components` (and in its presets' denoisers). */
  manifest: ModelManifest;
  /** Which weight variant each multi-variant component uses, and why. */
  picks: VariantPick[];
  /** The models of the default preset (engine/presets.ts), whose denoiser is loaded with the model. */
  models: PipelineModels;
  /** That preset (null for a model without presets), and why it is not the default when it is not. */
  preset: PresetName | null;
  notice: string | null;
  /**
   * What a clip with `requested` (default: the default preset) runs on; another preset's denoiser is loaded on
   * first use and kept until `release`.
   */
  forPreset(requested?: PresetName): Promise<PresetRun>;
  /**
   * The VAE encoder (known frames from images or a clip's last frames), opened on first use and kept until
   * `release`: a plain clip never downloads it. Null when the manifest declares none.
   */
  vaeEncoder(): Promise<VaeEncoderModel | null>;
  /** Seconds spent inside onnxruntime runs since load. */
  clock: RunClock;
  release(): Promise<void>;
};

/**
 * A preset resolved for a clip: the preset used (it differs from the one asked for when the model lacks it or its
 * file cannot be loaded; `notice` then says so), the manifest with its denoiser in `components`, and the models.
 */
export type PresetRun = { preset: PresetName | null; notice: string | null; manifest: ModelManifest; models: PipelineModels };

/** Throws `model-file-corrupt` naming the file when its size or sha256 differs from the manifest. */
export async function verifyFile(c: FileExpectation, bytes: Uint8Array): Promise<void> {
  if (bytes.byteLength !== c.bytes) {
    const what = bytes.byteLength < c.bytes ? 'truncated' : 'larger than expected';
    throw new KinetoError('model-file-corrupt', `${c.file} is ${what}: ${bytes.byteLength} bytes, the manifest says ${c.bytes}.`);
  }
  if (c.sha256) {
    const got = await sha256Hex(bytes);
    if (got !== c.sha256) throw new KinetoError('model-file-corrupt', `${c.file} is corrupt: its sha256 is ${got}, the manifest says ${c.sha256}.`);
  }
}

/**
 * `variants`: where the model runs, for picking weight variants (engine/variants.ts); by default the execution
 * provider without fp16 shaders, so fp32 (or int8 on the CPU) where a manifest offers variants.
 */
export async function loadModel(ort: OrtModule, source: FileSource, ep: ExecutionProvider,
  onProgress: (p: LoadProgress) => void = () => {}, variants?: VariantTarget): Promise<LoadedModel> {
  onProgress({ stage: 'manifest', file: 'manifest.json', loadedBytes: 0, totalBytes: 0 });
  const target = variants ?? { backend: ep === 'webgpu' ? 'webgpu' : 'wasm', shaderF16: false };
  const { manifest, picks } = pickVariants(parseManifest(await source.readJson('manifest.json')), target);
  const tokenizer = createTokenizer(manifest.tokenizer, await source.readJson(manifest.tokenizer.file));

  // The default preset's denoiser is loaded now; another preset's on first use (`forPreset`).
  const firstPreset = defaultPreset(manifest);
  const names: ComponentName[] = ['text_encoder', 'denoiser'];
  if (manifest.components.vae_decoder) names.push('vae_decoder');
  const specs = names.map((n) => withPresetDenoiser(manifest, firstPreset).components[n]!);
  const totalBytes = specs.reduce((a, c) => a + c.bytes + (c.externalData ?? []).reduce((b, x) => b + x.bytes, 0), 0);
  let done = 0;
  /** Sessions by component file (presets may add denoisers). */
  const sessions = new Map<string, Ort.InferenceSession>();
  const release = async () => {
    for (const s of sessions.values()) await s.release();
    sessions.clear();
  };
  const open = async (name: ComponentName, c: ComponentSpec, progress: (p: LoadProgress) => void): Promise<Ort.InferenceSession> => {
    const bytes = await source.readBytes(c.file, (loaded) => progress({ stage: 'download', file: c.file, loadedBytes: done + loaded, totalBytes }));
    progress({ stage: 'verify', file: c.file, loadedBytes: done + bytes.byteLength, totalBytes });
    // A size copied from a public listing is only an estimate: then only the sha256 (if any) is checked.
    await verifyFile(c.bytesApproximate ? { ...c, bytes: bytes.byteLength } : c, bytes);
    done += c.bytes;
    const externalData: Ort.ExternalDataFileDescription[] = [];
    const blobUrls: string[] = [];
    for (const x of c.externalData ?? []) {
      const path = externalDataFile(c, x);
      progress({ stage: 'verify', file: path, loadedBytes: done, totalBytes });
      const data = await readExternalData(source, { file: path, bytes: x.bytes, sha256: x.sha256 });
      externalData.push({ path: x.path, data: data instanceof Blob ? ortBlobInput(data, blobUrls) : data });
      done += x.bytes;
    }
    progress({ stage: 'session', file: c.file, loadedBytes: done, totalBytes });
    // On WebGPU the text encoding stays in a GPU buffer and feeds the UNet at every step without a copy.
    const options: Ort.InferenceSession.SessionOptions = ep === 'webgpu' && name === 'text_encoder'
      ? { preferredOutputLocation: Object.fromEntries(c.outputs.map((o) => [o.name, 'gpu-buffer' as const])) }
      : {};
    if (externalData.length > 0) options.externalData = externalData;
    if (c.freeDimensionOverrides) options.freeDimensionOverrides = c.freeDimensionOverrides;
    // Text2Video-Zero: the UNet's self-attention becomes cross-frame attention (frames share frame 0's K and V).
    const modelBytes = name === 'denoiser' && manifest.text2videoZero?.crossFrameAttention ? rewriteCrossFrameAttention(bytes).model : bytes;
    try {
      const session = await createSession(ort, modelBytes, ep, c.file, options);
      sessions.set(c.file, session);
      return session;
    } finally {
      for (const u of blobUrls) URL.revokeObjectURL(u);
    }
  };
  const clock = new RunClock();
  /** Denoisers by file: presets sharing a file share its session; a failed load is forgotten, so a later clip retries. */
  const denoisers = new Map<string, Promise<OrtDenoiser>>();
  const denoiserFor = (c: ComponentSpec, progress: (p: LoadProgress) => void): Promise<OrtDenoiser> => {
    let d = denoisers.get(c.file);
    if (!d) {
      d = open('denoiser', c, progress).then((session) => new OrtDenoiser(ort, session, c, clock));
      denoisers.set(c.file, d);
      d.catch(() => denoisers.delete(c.file));
    }
    return d;
  };
  /** `requested` as resolved by the engine; when its denoiser file cannot be loaded, another preset's, with a notice. */
  const presetDenoiser = async (requested: PresetName | undefined, progress: (p: LoadProgress) => void) => {
    const { preset, notice } = resolvePreset(manifest, requested);
    const m = withPresetDenoiser(manifest, preset);
    try {
      return { preset, notice, manifest: m, denoiser: await denoiserFor(m.components.denoiser, progress) };
    } catch (e) {
      const file = m.components.denoiser.file;
      const other = offeredPresets(manifest).find((p) => withPresetDenoiser(manifest, p).components.denoiser.file !== file);
      if (!preset || !other || !(e instanceof KinetoError) || !UNUSABLE_FILE.includes(e.code)) throw e;
      const om = withPresetDenoiser(manifest, other);
      const denoiser = await denoiserFor(om.components.denoiser, progress);
      return { preset: other, notice: `The ${PRESET_LABELS[preset]} preset could not be loaded (${e.message}); using ${PRESET_LABELS[other]} instead.`, manifest: om, denoiser };
    }
  };

  const opened = new Map<ComponentName, Ort.InferenceSession>();
  let first: Awaited<ReturnType<typeof presetDenoiser>>;
  try {
    opened.set('text_encoder', await open('text_encoder', manifest.components.text_encoder, onProgress));
    first = await presetDenoiser(undefined, onProgress);
    if (manifest.components.vae_decoder) opened.set('vae_decoder', await open('vae_decoder', manifest.components.vae_decoder, onProgress));
  } catch (e) {
    await release();
    throw e;
  }
  const models: PipelineModels = {
    tokenizer,
    textEncoder: new OrtTextEncoder(ort, opened.get('text_encoder')!, manifest.components.text_encoder, clock),
    denoiser: first.denoiser,
  };
  /** A preset's denoiser for known frames, opened on the first window that has some. */
  const withKnownFrames = (m: ModelManifest, base: PipelineModels): PipelineModels => {
    const c = m.knownFramesDenoiser;
    return c ? { ...base, knownFramesDenoiser: () => denoiserFor(c, () => {}) } : base;
  };
  const vae = manifest.components.vae_decoder;
  if (vae) models.vaeDecoder = new OrtVaeDecoder(ort, opened.get('vae_decoder')!, vae, clock);
  const forPreset = async (requested?: PresetName): Promise<PresetRun> => {
    const { denoiser, ...rest } = await presetDenoiser(requested, () => {});
    return { ...rest, models: withKnownFrames(rest.manifest, { ...models, denoiser }) };
  };
  let encoder: Promise<VaeEncoderModel> | null = null;
  const vaeEncoder = async (): Promise<VaeEncoderModel | null> => {
    const c = manifest.components.vae_encoder;
    if (!c) return null;
    if (!encoder) {
      encoder = open('vae_encoder', c, () => {}).then((session) => new OrtVaeEncoder(ort, session, c, clock));
      encoder.catch(() => (encoder = null)); // a failed load is forgotten, so a later clip retries
    }
    return encoder;
  };
  return { manifest, picks, models, preset: first.preset, notice: first.notice, forPreset, vaeEncoder, clock, release };
}

/** Errors after which a preset's denoiser file is unusable here (another preset's may still load). */
const UNUSABLE_FILE: readonly string[] = ['model-file-missing', 'model-file-corrupt', 'model-load-failed'];

/** External-data Blobs from this size up reach onnxruntime as `blob:` URLs (see `ortBlobInput`). */
export const BLOB_URL_MIN_BYTES = 1 << 30;

/**
 * How a Blob is handed to onnxruntime-web 1.30 (non-JSPI builds). Given a Blob, it calls `blob.arrayBuffer()`, which
 * Chromium 156 refuses above 2 GB (NotReadableError, measured on a 2.5 GB OPFS file); given a URL whose
 * Content-Length is ≥ 1 GiB it streams the body into one preallocated buffer (a WebAssembly.Memory when an
 * ArrayBuffer that large is refused). So Blobs of 1 GiB or more go as `blob:` URLs, revoked once the session
 * exists. Either way the bytes are then copied into onnxruntime's 32-bit WASM heap (at most 4 GiB in all).
 */
function ortBlobInput(blob: Blob, urls: string[]): Blob | string {
  if (blob.size < BLOB_URL_MIN_BYTES || typeof URL.createObjectURL !== 'function') return blob;
  const url = URL.createObjectURL(blob);
  urls.push(url);
  return url;
}

/**
 * An external-data file for onnxruntime's `externalData` option, checked before onnxruntime sees it: a Blob from a
 * source that verifies files itself (the weight cache: no copy in JavaScript, onnxruntime reads the Blob), or
 * bytes read and checked here.
 */
async function readExternalData(source: FileSource, expected: FileExpectation): Promise<Blob | Uint8Array> {
  if (source.readVerifiedBlob) {
    const blob = await source.readVerifiedBlob(expected.file, expected);
    if (blob.size !== expected.bytes) throw new KinetoError('model-file-corrupt', `${expected.file} is ${blob.size} bytes, the manifest says ${expected.bytes}.`);
    return blob;
  }
  const bytes = await source.readBytes(expected.file);
  await verifyFile(expected, bytes);
  return bytes;
}

/** Files under a base URL, fetched with streaming progress. */
export function httpSource(baseUrl: string, fetchImpl: typeof fetch = fetch): FileSource {
  const url = (path: string) => new URL(path, baseUrl).href;
  const get = async (path: string): Promise<Response> => {
    let res: Response;
    try {
      res = await fetchImpl(url(path));
    } catch (e) {
      throw new KinetoError('network', `Could not fetch ${url(path)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (res.status === 404) throw new KinetoError('model-file-missing', `${path} was not found at ${url(path)} (HTTP 404).`);
    if (!res.ok) throw new KinetoError('network', `Fetching ${url(path)} failed with HTTP ${res.status}.`);
    return res;
  };
  return {
    describe: url,
    async readJson(path) {
      const res = await get(path);
      try {
        return await res.json();
      } catch {
        throw new KinetoError(path === 'manifest.json' ? 'bad-manifest' : 'model-file-corrupt', `${path} is not valid JSON.`);
      }
    },
    async readBytes(path, onProgress) {
      const res = await get(path);
      if (!res.body) return new Uint8Array(await res.arrayBuffer());
      const chunks: Uint8Array[] = [];
      let loaded = 0;
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        onProgress?.(loaded);
      }
      const out = new Uint8Array(loaded);
      let offset = 0;
      for (const c of chunks) {
        out.set(c, offset);
        offset += c.byteLength;
      }
      return out;
    },
  };
}
