/**
 * The Library's state and actions (its own zustand store beside the app's): the clips listed from IndexedDB a page
 * at a time with poster URLs (read when the Library is shown, not at start-up), damaged entries skipped, storage
 * figures, the last save's outcome, the clip being played and the Variations run. Every
 * finished run is saved here (see `connectLibrary`); other tabs hear of each write through a BroadcastChannel and
 * list again.
 */
import { create } from 'zustand';
import { formatBytes, randomSeed, useKineto } from '../store';
import type { RunResult } from '../store/run-slice';
import type { Draft } from '../store/settings-slice';
import { type ClipEntry } from './clip-record';
import {
  type DamagedEntry, deleteAllClips, deleteClip, type LibraryDb, listIdsNewestFirst, listUndated, openLibraryDb, putClip, readClips, readVideo,
} from './clip-db';
import { type FileTags, readFileTags } from './file-tags';
import { draftFromShareUrl, withoutShareQuery } from './share-link';
import { storageFigures, type StorageFigures, wouldExceedQuota } from './storage';

/** A listed clip with an object URL for its poster (null: no poster; the grid shows a placeholder). */
export type LibraryItem = ClipEntry & { posterUrl: string | null };
export type SaveState = { status: 'saving' } | { status: 'saved'; id: string; ms: number } | { status: 'failed'; message: string };
/** The clip being played, and what its file's own metadata says once read (`readTags`). */
export type Player = { id: string; url: string; fileName: string; label: string; tags: FileTags | 'reading' | { error: string } | null };
export type VariationItem = { seed: number; status: 'waiting' | 'running' | 'done' | 'failed'; url: string | null };
export type Variations = { batchId: string; prompt: string; status: 'running' | 'done' | 'stopped'; items: VariationItem[] };

/** Most seeds one Variations run makes. */
export const MAX_VARIATIONS = 8;
/** Clips listed at a time: a screenful and a little more; scrolling on lists the next page. */
export const PAGE_SIZE = 24;
const CHANNEL = 'kineto-library';

export type LibraryState = {
  status: 'idle' | 'loading' | 'ready' | 'unavailable';
  /** Why the Library cannot be used at all (IndexedDB refused), else null. */
  unavailable: string | null;
  /** The clips listed so far, newest first (a page at a time: see `more`). */
  items: LibraryItem[];
  /** How many clips the Library holds (listed or not). */
  total: number;
  /** Whether older clips are left to list (`loadMore`). */
  more: boolean;
  damaged: DamagedEntry[];
  /** Counts the times the Library view was shown; the grid's first-thumbnails mark is taken once per opening. */
  opened: number;
  storage: StorageFigures | null;
  save: SaveState | null;
  player: Player | null;
  variations: Variations | null;
  confirmDeleteAll: boolean;

  /** The route entered the Library: counts the opening and lists the clips again. */
  openLibrary(): void;
  /** Lists the newest clips again (as many as are listed now, at least a page). */
  refresh(): Promise<void>;
  /** Lists the next page of older clips. */
  loadMore(): Promise<void>;
  saveResult(result: RunResult): Promise<void>;
  play(id: string): Promise<void>;
  closePlayer(): void;
  /** Reads the played clip's metadata tags from its file. */
  readTags(): Promise<void>;
  remove(id: string): Promise<void>;
  askDeleteAll(ask: boolean): void;
  removeAll(): Promise<void>;
  remix(id: string): void;
  runVariations(count: number): Promise<void>;
  stopVariations(): void;
};

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);
}

let dbPromise: Promise<LibraryDb> | null = null;
function db(): Promise<LibraryDb> {
  dbPromise ??= openLibraryDb().catch((e: unknown) => {
    dbPromise = null;
    throw e;
  });
  return dbPromise;
}

/** A kept clip's video, or null when it is missing. */
export async function readStoredVideo(id: string): Promise<Blob | null> {
  return readVideo(await db(), id).catch(() => null);
}

let channel: BroadcastChannel | null = null;
function announce(): void {
  channel?.postMessage('changed');
}

/** Poster object URLs by clip id; one kept while its clip stays listed, so a refresh reloads no image. */
let posterUrls = new Map<string, string>();
/** Every dated clip id, newest first, as of the last refresh; `listed` of them are read so far. */
let ids: string[] = [];
let listed = 0;
/** Bumped by each refresh, so a page read for an older listing is dropped. */
let listing = 0;
let loadingMore = false;

function withPosterUrls(entries: ClipEntry[], urls: Map<string, string>): LibraryItem[] {
  return entries.map((e) => {
    let posterUrl = posterUrls.get(e.id) ?? null;
    if (posterUrl === null && e.poster) posterUrl = URL.createObjectURL(e.poster);
    if (posterUrl !== null) urls.set(e.id, posterUrl);
    return { ...e, posterUrl };
  });
}
/** Set by stopVariations; checked between seeds. */
let stopRequested = false;

export const useLibrary = create<LibraryState>()((set, get) => ({
  status: 'idle',
  unavailable: null,
  items: [],
  total: 0,
  more: false,
  damaged: [],
  opened: 0,
  storage: null,
  save: null,
  player: null,
  variations: null,
  confirmDeleteAll: false,

  openLibrary: () => {
    set((s) => ({ confirmDeleteAll: false, opened: s.opened + 1 }));
    performance.mark('library-open');
    void get().refresh();
  },

  refresh: async () => {
    const generation = ++listing;
    set((s) => ({ status: s.status === 'ready' ? 'ready' : 'loading' }));
    try {
      const d = await db();
      const all = await listIdsNewestFirst(d);
      const count = Math.min(all.length, Math.max(PAGE_SIZE, get().items.length));
      const [page, undated] = await Promise.all([readClips(d, all.slice(0, count)), listUndated(d, all.length)]);
      if (generation !== listing) return;
      const urls = new Map<string, string>();
      const items = withPosterUrls(page.entries, urls);
      for (const [id, url] of posterUrls) if (!urls.has(id)) URL.revokeObjectURL(url);
      posterUrls = urls;
      ids = all;
      listed = count;
      const total = all.length - page.damaged.length;
      set({ items, total, more: count < all.length, damaged: [...page.damaged, ...undated], status: 'ready', unavailable: null });
    } catch (e) {
      set({ status: 'unavailable', unavailable: `This browser refused to open the Library's storage (${errorText(e)}).` });
    }
    set({ storage: await storageFigures() });
  },

  loadMore: async () => {
    if (loadingMore || listed >= ids.length) return;
    const generation = listing;
    const from = listed;
    loadingMore = true;
    try {
      const page = await readClips(await db(), ids.slice(from, from + PAGE_SIZE));
      if (generation !== listing) return;
      listed = Math.min(ids.length, from + PAGE_SIZE);
      const items = withPosterUrls(page.entries, posterUrls);
      set((s) => ({ items: [...s.items, ...items], total: s.total - page.damaged.length, more: listed < ids.length, damaged: [...s.damaged, ...page.damaged] }));
    } finally {
      loadingMore = false;
    }
  },

  saveResult: async (result) => {
    const t0 = performance.now();
    set({ save: { status: 'saving' } });
    const variations = get().variations;
    const item = variations?.status === 'running' ? variations.items.find((i) => i.status === 'running' && i.seed === result.seed) : undefined;
    try {
      // The Blobs the worker handed over: nothing is copied, decoded or read back here.
      const { video, poster } = result;
      if (item && variations) markItem(set, get, variations.batchId, result.seed, { url: URL.createObjectURL(video) });
      const figures = await storageFigures();
      if (wouldExceedQuota(figures, video.size)) throw new DOMException('quota', 'QuotaExceededError');
      const entry: ClipEntry = {
        id: crypto.randomUUID(),
        createdAt: Date.now(),
        params: result.params,
        container: result.container,
        mimeType: result.mimeType,
        codec: result.codec,
        fileName: result.fileName,
        size: result.size,
        width: result.width,
        height: result.height,
        frameCount: result.frameCount,
        model: result.model,
        backend: result.backend,
        timings: result.timings,
        poster,
        ...(item && variations ? { batchId: variations.batchId } : {}),
      };
      await putClip(await db(), entry, video);
      const ms = performance.now() - t0;
      performance.measure('library-save', { start: t0, duration: ms });
      set({ save: { status: 'saved', id: entry.id, ms } });
      if (!figures.persisted) void navigator.storage?.persist?.().catch(() => false);
      announce();
      if (useKineto.getState().route.view === 'library') await get().refresh();
    } catch (e) {
      const figures = await storageFigures();
      const message = isQuotaError(e)
        ? `This clip could not be kept in the Library: the browser's storage for Kineto is full${figures.quotaBytes !== null ? ` (quota ${formatBytes(figures.quotaBytes)})` : ''}. It is still here to watch and download; delete clips in the Library to make room.`
        : `This clip could not be kept in the Library (${errorText(e)}). It is still here to watch and download.`;
      set({ save: { status: 'failed', message }, storage: figures });
    }
  },

  play: async (id) => {
    const entry = get().items.find((i) => i.id === id);
    if (!entry) return;
    const video = await readStoredVideo(id);
    const previous = get().player;
    if (!video) {
      set({ save: { status: 'failed', message: `The video of ${entry.fileName} is missing from the Library.` } });
      return;
    }
    set({ player: { id, url: URL.createObjectURL(video), fileName: entry.fileName, label: entry.container === 'webm' ? 'WebM' : 'MP4', tags: null } });
    if (previous) URL.revokeObjectURL(previous.url);
  },

  closePlayer: () => {
    const p = get().player;
    if (p) URL.revokeObjectURL(p.url);
    set({ player: null });
  },

  readTags: async () => {
    const p = get().player;
    if (!p) return;
    set({ player: { ...p, tags: 'reading' } });
    let tags: Player['tags'];
    try {
      tags = await readFileTags(await (await fetch(p.url)).blob());
    } catch (e) {
      tags = { error: errorText(e) };
    }
    if (get().player?.url === p.url) set({ player: { ...p, tags } });
  },

  remove: async (id) => {
    if (get().player?.id === id) get().closePlayer();
    await deleteClip(await db(), id);
    announce();
    await get().refresh();
  },

  askDeleteAll: (ask) => set({ confirmDeleteAll: ask }),

  removeAll: async () => {
    get().closePlayer();
    await deleteAllClips(await db());
    set({ confirmDeleteAll: false });
    announce();
    await get().refresh();
  },

  remix: (id) => {
    const entry = get().items.find((i) => i.id === id);
    if (!entry) return;
    const p = entry.params;
    fillDraft({
      prompt: p.prompt,
      negativePrompt: p.negativePrompt,
      scheduler: p.scheduler,
      seed: String(p.seed),
      steps: String(p.steps),
      guidanceScale: String(p.guidanceScale),
      frames: String(p.frames),
      fps: String(p.fps),
      outputSize: String(p.outputSize),
    });
    useKineto.getState().setContainer(entry.container);
    useKineto.getState().navigate('create');
  },

  runVariations: async (count) => {
    const k = useKineto.getState();
    if (k.run.status !== 'idle' || k.model.status !== 'ready' || get().variations?.status === 'running') return;
    const n = Math.max(1, Math.min(MAX_VARIATIONS, Math.floor(count)));
    const first = Number(k.draft.seed);
    const base = Number.isInteger(first) && first >= 0 ? first : randomSeed();
    const seeds = Array.from({ length: n }, (_, i) => (base + i) % 2 ** 32);
    const batchId = crypto.randomUUID();
    const old = get().variations;
    stopRequested = false;
    set({ variations: { batchId, prompt: k.draft.prompt, status: 'running', items: seeds.map((seed) => ({ seed, status: 'waiting', url: null })) } });
    for (const v of old?.items ?? []) if (v.url) URL.revokeObjectURL(v.url);
    for (const seed of seeds) {
      if (stopRequested) break;
      markItem(set, get, batchId, seed, { status: 'running' });
      useKineto.getState().setDraftField('seed', String(seed));
      await useKineto.getState().generate();
      await pendingSave;
      const after = useKineto.getState();
      const ok = after.run.outcome === 'done' && after.issues.length === 0 && after.result?.seed === seed;
      markItem(set, get, batchId, seed, { status: ok ? 'done' : 'failed' });
      if (!ok) {
        stopRequested = true;
        break;
      }
    }
    const v = get().variations;
    if (v?.batchId === batchId) set({ variations: { ...v, status: stopRequested ? 'stopped' : 'done' } });
  },

  stopVariations: () => {
    stopRequested = true;
    void useKineto.getState().cancel();
  },
}));

function markItem(
  set: (p: Partial<LibraryState>) => void,
  get: () => LibraryState,
  batchId: string,
  seed: number,
  patch: Partial<VariationItem>,
): void {
  const v = get().variations;
  if (!v || v.batchId !== batchId) return;
  set({ variations: { ...v, items: v.items.map((i) => (i.seed === seed ? { ...i, ...patch } : i)) } });
}

/**
 * Writes settings into the form. The model's defaults are written into it when a model first loads; settings given
 * before that (a share link at page load, a Remix while the model loads) go in after them, so they are not overwritten.
 */
function fillDraft(fields: Partial<Draft>): void {
  const apply = () => {
    const { setDraftField } = useKineto.getState();
    for (const [field, value] of Object.entries(fields) as [keyof Draft, Draft[keyof Draft]][]) setDraftField(field, value);
  };
  if (useKineto.getState().draftModelId !== null) return apply();
  const stop = useKineto.subscribe((s) => {
    if (s.draftModelId === null) return;
    stop();
    apply();
  });
}

/**
 * Resolves once the frame now being prepared has been painted, so a new result shows before its save starts;
 * at most `MAX_PAINT_WAIT_MS` later where frames are not painted (a hidden tab), so no clip waits to be kept.
 */
const MAX_PAINT_WAIT_MS = 100;
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, MAX_PAINT_WAIT_MS);
    requestAnimationFrame(() => setTimeout(() => (clearTimeout(timer), resolve())));
  });
}

/** The save of the latest result, awaited by Variations so each clip is stored before the next run starts. */
let pendingSave: Promise<void> = Promise.resolve();

/**
 * Wires the Library to the app: saves every new result, lists the clips whenever the route enters the Library, fills
 * the form from a share link once the model's defaults are in, and lists again when another tab writes. Call once,
 * from main.
 */
export function connectLibrary(): void {
  useKineto.subscribe((s, prev) => {
    const result = s.result;
    if (!result || result === prev.result) return;
    // "Saving…" at once, so nobody reads the previous clip's outcome as this one's; the work waits for the paint.
    useLibrary.setState({ save: { status: 'saving' } });
    pendingSave = afterPaint().then(() => useLibrary.getState().saveResult(result));
  });

  if (useKineto.getState().route.view === 'library') useLibrary.getState().openLibrary();
  useKineto.subscribe((s, prev) => {
    if (s.route.view === 'library' && prev.route.view !== 'library') useLibrary.getState().openLibrary();
  });

  const shared = draftFromShareUrl(location.href);
  if (shared) {
    history.replaceState(null, '', withoutShareQuery(location.href));
    fillDraft(shared);
  }

  if (typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(CHANNEL);
    // The Library lists again when shown; only a Library on screen follows other tabs at once.
    channel.onmessage = () => void (useKineto.getState().route.view === 'library' && useLibrary.getState().refresh());
  }
}
