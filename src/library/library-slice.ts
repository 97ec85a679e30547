/**
 * The Library's store slice: the clips and films listed from IndexedDB a page at a time with poster URLs (read when
 * the Library is shown, not at start-up), damaged entries skipped, storage figures, the last save's outcome, the clip
 * being played and the Variations run. Every finished run and film is kept here (`keepResult`, `keepFilm`, wired in
 * connect-library.ts; a film's own actions are film-actions.ts); other tabs hear of each write through a BroadcastChannel and list again. The database, the poster URLs and the
 * listing's paging live in the slice's closure, so every `createKinetoStore()` has a Library of its own.
 */
import type { StateCreator } from 'zustand';
import { CONTAINER_NAMES } from '../engine/clip-facts';
import type { KinetoState } from '../store';
import { draftFromParams, randomSeed } from '../store/settings-slice';
import type { FilmOutput } from '../films/film-output';
import { entryFromResult, type KeptClip } from './clip-record';
import {
  type DamagedEntry, deleteAllClips, deleteClip, type LibraryDb, listIdsNewestFirst, listUndated, openLibraryDb, putClip, readClips, readVideo,
} from './clip-db';
import { createFilmActions, type FilmActions, type ShotClipState } from './film-actions';
import { entryFromFilm } from './film-record';
import { fillDraft } from './fill-draft';
import { isFilmEntry, type LibraryEntry } from './library-entry';
import { type FileTags, readFileTags } from './file-tags';
import { errorText, saveFailureMessage, storageFigures, type StorageFigures, wouldExceedQuota } from './storage';
import { type VariationItem, type Variations, variationSeeds, withVariationItem } from './variations';
import { markForBench } from '../automation';

/** A listed clip or film with an object URL for its poster (null: no poster; the grid shows a placeholder). */
export type LibraryItem = LibraryEntry & { posterUrl: string | null };
export type SaveState = { status: 'saving' } | { status: 'saved'; id: string; ms: number } | { status: 'failed'; message: string };
/**
 * The clip being played (a film's shot opened as a clip among them: `title` says which; `id` is its film's), and what
 * its file's own metadata says once read (`readPlayerTags`).
 */
export type Player = { id: string; url: string; fileName: string; label: string; title: string | null; tags: FileTags | 'reading' | { error: string } | null };

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
  /** Whether older clips are left to list (`listOlderClips`). */
  more: boolean;
  damaged: DamagedEntry[];
  /** Counts the times the Library view was shown; the grid's first-thumbnails mark is taken once per opening. */
  opened: number;
  storage: StorageFigures | null;
  save: SaveState | null;
  /** The last film's save, told under the film on the Storyboard. */
  filmSave: SaveState | null;
  player: Player | null;
  /** A film's shot being made into a clip to play, or why it could not be. */
  shotClip: ShotClipState;
  /** The film whose Remix waits for the person to confirm replacing the board on the Storyboard. */
  confirmRemix: string | null;
  variations: Variations | null;
  confirmDeleteAll: boolean;
};

export type LibrarySlice = FilmActions & {
  library: LibraryState;
  /** The route entered the Library: counts the opening and lists the clips again. */
  openLibrary(): void;
  /** Lists the newest clips again (as many as are listed now, at least a page). */
  listClips(): Promise<void>;
  /** Lists the next page of older clips. */
  listOlderClips(): Promise<void>;
  /** Keeps a finished run's clip (or Live's recording): "Saving…" at once, the write once the result has been painted. */
  keepResult(result: KeptClip): void;
  /** Keeps a made film with its board, the same way. */
  keepFilm(output: FilmOutput): void;
  playClip(id: string): Promise<void>;
  /** A kept clip's video, or null when it is missing. */
  readClipVideo(id: string): Promise<Blob | null>;
  closePlayer(): void;
  /** Reads the played clip's metadata tags from its file. */
  readPlayerTags(): Promise<void>;
  removeClip(id: string): Promise<void>;
  askDeleteAll(ask: boolean): void;
  removeAllClips(): Promise<void>;
  /** Loads a kept clip's settings into the form and shows Create. */
  remixClip(id: string): void;
  runVariations(count: number): Promise<void>;
  stopVariations(): void;
  /** Joins the other tabs of Kineto: this tab announces its writes, and lists again on theirs while its Library shows. */
  followOtherTabs(): void;
};

const initialLibrary: LibraryState = {
  status: 'idle', unavailable: null, items: [], total: 0, more: false, damaged: [], opened: 0, storage: null, save: null, filmSave: null, player: null,
  shotClip: null, confirmRemix: null, variations: null, confirmDeleteAll: false,
};

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

export const createLibrarySlice: StateCreator<KinetoState, [], [], LibrarySlice> = (set, get, store) => {
  const patch = (p: Partial<LibraryState> | ((l: LibraryState) => Partial<LibraryState>)) =>
    set((s) => ({ library: { ...s.library, ...(typeof p === 'function' ? p(s.library) : p) } }));
  const appQuota = () => get().storage?.quotaBytes ?? null;

  let dbPromise: Promise<LibraryDb> | null = null;
  const db = (): Promise<LibraryDb> => {
    dbPromise ??= openLibraryDb().catch((e: unknown) => {
      dbPromise = null;
      throw e;
    });
    return dbPromise;
  };

  let channel: BroadcastChannel | null = null;
  const announce = () => channel?.postMessage('changed');

  /** Poster object URLs by clip id; one kept while its clip stays listed, so a refresh reloads no image. */
  let posterUrls = new Map<string, string>();
  /** Every dated clip id, newest first, as of the last listing; `listed` of them are read so far. */
  let ids: string[] = [];
  let listed = 0;
  /** Bumped by each listing, so a page read for an older listing is dropped. */
  let listing = 0;
  let loadingMore = false;
  const withPosterUrls = (entries: LibraryEntry[], urls: Map<string, string>): LibraryItem[] =>
    entries.map((e) => {
      let posterUrl = posterUrls.get(e.id) ?? null;
      if (posterUrl === null && e.poster) posterUrl = URL.createObjectURL(e.poster);
      if (posterUrl !== null) urls.set(e.id, posterUrl);
      return { ...e, posterUrl };
    });

  /** The save of the latest result, awaited by Variations so each clip is stored before the next run starts. */
  let pendingSave: Promise<void> = Promise.resolve();
  /** Set by stopVariations; checked between seeds. */
  let stopRequested = false;
  const markItem = (batchId: string, seed: number, p: Partial<VariationItem>) => {
    const v = get().library.variations;
    if (v?.batchId === batchId) patch({ variations: withVariationItem(v, seed, p) });
  };

  /** Where a save is told: `save` for clips (under the result), `filmSave` for films (under the film). */
  type SaveKey = 'save' | 'filmSave';
  const report = (which: SaveKey, state: SaveState) => patch(which === 'save' ? { save: state } : { filmSave: state });

  /**
   * Writes an entry (`make`: given its new id and date) with its video and says how it went. The Blobs the worker
   * handed over: nothing is copied, decoded or read back here.
   */
  const keep = async (which: SaveKey, make: (id: string, createdAt: number) => LibraryEntry, video: Blob, t0 = performance.now()) => {
    try {
      const figures = await storageFigures(appQuota());
      if (wouldExceedQuota(figures, video.size)) throw new DOMException('quota', 'QuotaExceededError');
      const entry = make(crypto.randomUUID(), Date.now());
      await putClip(await db(), entry, video);
      const ms = performance.now() - t0;
      performance.measure('library-save', { start: t0, duration: ms });
      report(which, { status: 'saved', id: entry.id, ms });
      if (!figures.persisted) void navigator.storage?.persist?.().catch(() => false);
      announce();
      if (get().route.view === 'library') await get().listClips();
    } catch (e) {
      const figures = await storageFigures(appQuota());
      report(which, { status: 'failed', message: saveFailureMessage(e, figures.quotaBytes, which === 'save' ? 'clip' : 'film') });
      patch({ storage: figures });
    }
  };

  const saveResult = async (result: KeptClip) => {
    const t0 = performance.now();
    patch({ save: { status: 'saving' } });
    const variations = get().library.variations;
    const { seed } = result.facts.params;
    const item = variations?.status === 'running' ? variations.items.find((i) => i.status === 'running' && i.seed === seed) : undefined;
    if (item && variations) markItem(variations.batchId, seed, { url: URL.createObjectURL(result.video) });
    await keep('save', (id, createdAt) => entryFromResult(result, id, createdAt, item && variations ? variations.batchId : undefined), result.video, t0);
  };

  return {
    library: initialLibrary,

    openLibrary: () => {
      patch((l) => ({ confirmDeleteAll: false, opened: l.opened + 1 }));
      markForBench('library-open');
      void get().listClips();
    },

    listClips: async () => {
      const generation = ++listing;
      patch((l) => ({ status: l.status === 'ready' ? 'ready' : 'loading' }));
      try {
        const d = await db();
        const all = await listIdsNewestFirst(d);
        const count = Math.min(all.length, Math.max(PAGE_SIZE, get().library.items.length));
        const [page, undated] = await Promise.all([readClips(d, all.slice(0, count)), listUndated(d, all.length)]);
        if (generation !== listing) return;
        const urls = new Map<string, string>();
        const items = withPosterUrls(page.entries, urls);
        for (const [id, url] of posterUrls) if (!urls.has(id)) URL.revokeObjectURL(url);
        posterUrls = urls;
        ids = all;
        listed = count;
        const total = all.length - page.damaged.length;
        patch({ items, total, more: count < all.length, damaged: [...page.damaged, ...undated], status: 'ready', unavailable: null });
      } catch (e) {
        patch({ status: 'unavailable', unavailable: `This browser refused to open the Library's storage (${errorText(e)}).` });
      }
      patch({ storage: await storageFigures(appQuota()) });
    },

    listOlderClips: async () => {
      if (loadingMore || listed >= ids.length) return;
      const generation = listing;
      const from = listed;
      loadingMore = true;
      try {
        const page = await readClips(await db(), ids.slice(from, from + PAGE_SIZE));
        if (generation !== listing) return;
        listed = Math.min(ids.length, from + PAGE_SIZE);
        const items = withPosterUrls(page.entries, posterUrls);
        patch((l) => ({ items: [...l.items, ...items], total: l.total - page.damaged.length, more: listed < ids.length, damaged: [...l.damaged, ...page.damaged] }));
      } finally {
        loadingMore = false;
      }
    },

    keepResult: (result) => {
      // "Saving…" at once, so nobody reads the previous clip's outcome as this one's; the work waits for the paint.
      patch({ save: { status: 'saving' } });
      pendingSave = afterPaint().then(() => saveResult(result));
    },

    keepFilm: (output) => {
      patch({ filmSave: { status: 'saving' } });
      void afterPaint().then(() => keep('filmSave', (id, createdAt) => entryFromFilm(output, id, createdAt), output.kept.video));
    },

    ...createFilmActions(get, patch),

    playClip: async (id) => {
      const entry = get().library.items.find((i) => i.id === id);
      if (!entry) return;
      const video = await get().readClipVideo(id);
      const previous = get().library.player;
      if (!video) {
        patch({ save: { status: 'failed', message: `The video of ${entry.facts.fileName} is missing from the Library.` } });
        return;
      }
      const { fileName, container } = entry.facts;
      patch({ player: { id, url: URL.createObjectURL(video), fileName, label: CONTAINER_NAMES[container], title: null, tags: null } });
      if (previous) URL.revokeObjectURL(previous.url);
    },

    readClipVideo: async (id) => readVideo(await db(), id).catch(() => null),

    closePlayer: () => {
      const p = get().library.player;
      if (p) URL.revokeObjectURL(p.url);
      patch({ player: null });
    },

    readPlayerTags: async () => {
      const p = get().library.player;
      if (!p) return;
      patch({ player: { ...p, tags: 'reading' } });
      let tags: Player['tags'];
      try {
        tags = await readFileTags(await (await fetch(p.url)).blob());
      } catch (e) {
        tags = { error: errorText(e) };
      }
      if (get().library.player?.url === p.url) patch({ player: { ...p, tags } });
    },

    removeClip: async (id) => {
      if (get().library.player?.id === id) get().closePlayer();
      await deleteClip(await db(), id);
      announce();
      await get().listClips();
    },

    askDeleteAll: (ask) => patch({ confirmDeleteAll: ask }),

    removeAllClips: async () => {
      get().closePlayer();
      await deleteAllClips(await db());
      patch({ confirmDeleteAll: false });
      announce();
      await get().listClips();
    },

    remixClip: (id) => {
      const entry = get().library.items.find((i) => i.id === id);
      if (!entry || isFilmEntry(entry)) return;
      // The clip's Speed choice too, so that its denoiser runs again; a clip made without one keeps the form's.
      const { preset, ...fields } = draftFromParams(entry.facts.params);
      fillDraft(store, preset === null ? fields : { ...fields, preset });
      get().setContainer(entry.facts.container);
      get().navigate('create');
    },

    runVariations: async (count) => {
      const k = get();
      if (k.run.status !== 'idle' || k.model.status !== 'ready' || k.library.variations?.status === 'running') return;
      const seeds = variationSeeds(k.draft.seed, count, randomSeed);
      const batchId = crypto.randomUUID();
      const old = k.library.variations;
      stopRequested = false;
      patch({ variations: { batchId, prompt: k.draft.prompt, status: 'running', items: seeds.map((seed) => ({ seed, status: 'waiting', url: null })) } });
      for (const v of old?.items ?? []) if (v.url) URL.revokeObjectURL(v.url);
      for (const seed of seeds) {
        if (stopRequested) break;
        markItem(batchId, seed, { status: 'running' });
        get().setDraftField('seed', String(seed));
        await get().generate();
        await pendingSave;
        const after = get();
        const ok = after.run.outcome === 'done' && after.issues.length === 0 && after.result?.facts.params.seed === seed;
        markItem(batchId, seed, { status: ok ? 'done' : 'failed' });
        if (!ok) {
          stopRequested = true;
          break;
        }
      }
      const v = get().library.variations;
      if (v?.batchId === batchId) patch({ variations: { ...v, status: stopRequested ? 'stopped' : 'done' } });
    },

    stopVariations: () => {
      stopRequested = true;
      void get().cancel();
    },

    followOtherTabs: () => {
      if (channel || typeof BroadcastChannel === 'undefined') return;
      channel = new BroadcastChannel(CHANNEL);
      // The Library lists again when shown; only a Library on screen follows other tabs at once.
      channel.onmessage = () => void (get().route.view === 'library' && get().listClips());
    },
  };
};
