/**
 * The Storyboard's store slice: the board being written (a valid document at every moment: fields refuse values the
 * board cannot hold), what the live region says after a move, files and links opened, the Share link, and making the
 * film through a `FilmEngine`. Made shots stay in the slice's closure by key (film-plan.ts); the store holds only
 * their keys, so an edit shows at once which shots need making again. Persistence and the address are
 * connect-storyboard.ts's.
 */
import type { StateCreator } from 'zustand';
import type { ClipModel } from '../engine/clip-facts';
import type { KinetoState } from '../store';
import { randomSeed } from '../store/settings-slice';
import { downloadBlob } from '../library/download';
import { type Board, blankBoard, isImageStart, type Shot } from './board';
import { addShot, deleteShot, duplicateShot, editShot, moveShot } from './board-edits';
import { boardFileName, boardText, readBoardText } from './board-file';
import { boardFromQuery, boardLinkHash, isDataUrl, linkedBoard } from './board-link';
import type { FilmEngine, ShotResult } from './film-engine';
import { continuingFrom, filmProblems, planFilm, type ShotPlan, shotsToMake } from './film-plan';
import { encodeBoardFilm, type FilmOutput, releaseFilmOutput } from './film-output';
import { makeShots, ShotFailure } from './film-run';
import { type BoardProblem, problemText } from './parse-board';
import { pictureDataUrl } from './picture';
import { makeSheetFiles, releaseSheetFiles, type SheetFiles } from './sheet-files';
import { sheetOf } from './sheet-layout';
import { buildTimeline } from './timeline';

/** `encoding`: every shot is made and the film is being encoded. */
export type FilmStatus = 'idle' | 'making' | 'encoding' | 'made' | 'stopped' | 'failed';

export type FilmState = {
  status: FilmStatus;
  /** Keys of the shots made in this tab (film-plan.ts). */
  made: string[];
  /** The shot being made: its place in the board, the `done`th of `total` in this run, and how far it is (0–1). */
  current: { index: number; done: number; total: number; fraction: number } | null;
  /** Why the last run failed or what stopped it, for people. */
  message: string | null;
  /** What kept Generate film from starting, named by field. */
  problems: BoardProblem[];
  /** The last film encoded, to play and download. */
  output: FilmOutput | null;
  /** Some shots are made (kept from before a reload, or a run was stopped) and the rest wait: Resume film. */
  resumable: boolean;
};

/** The storyboard sheet of the made film (PNG and PDF): being made, made, or why it could not be. */
export type SheetState = { status: 'idle' | 'making' | 'made' | 'failed'; files: SheetFiles | null; message: string | null };

export type StoryboardState = {
  board: Board;
  /** The live region's sentence after an add, a duplicate, a delete or a move. */
  announcement: string;
  /** The last board opened from a file or a link, with what was wrong with it (nothing opened: problems empty). */
  opened: { from: string; problems: string[] } | null;
  /** The board set aside by the last file or link opened (or by Bring back), until dismissed. */
  replaced: Board | null;
  link: { url: string; picturesLeftOut: number } | null;
  /** Why the browser would not keep the board, or could not read the one it kept; null when all is well. */
  storageProblem: string | null;
  film: FilmState;
  sheet: SheetState;
};

export type StoryboardSlice = {
  storyboard: StoryboardState;
  setBoardTitle(title: string): void;
  setBoardSeed(seed: number): void;
  setBurnCaptions(burn: boolean): void;
  editShot(index: number, patch: Partial<Shot>): void;
  addShot(): void;
  duplicateShot(index: number): void;
  deleteShot(index: number): void;
  /** Moves shot `from` to position `to` (from 0) and says so in the live region. */
  moveShot(from: number, to: number): void;
  /** Starts shot `index` from a picture file (scaled down, kept as a data: URL). */
  chooseShotPicture(index: number, file: File): Promise<void>;
  /** Opens a board file; a bad one leaves the board as it was and names its problems. */
  openBoardFile(file: File): Promise<void>;
  /** Opens the board of a `#/storyboard?board=…` query; false when the query carries none. */
  openBoardLink(query: string): Promise<boolean>;
  /** Opens `board` (a film's, from the Library) as a file is opened: the board shown is set aside to bring back. */
  openBoard(board: Board, from: string): void;
  /** The board kept in this browser, at start. */
  restoreBoard(board: Board): void;
  reportStorageProblem(problem: string | null): void;
  /** Shows the board set aside, setting aside the one shown. */
  bringBackReplacedBoard(): void;
  /** Closes the notice of the last opening (and lets a board set aside go, unless the notice was a bad file's). */
  dismissOpened(): void;
  downloadBoard(): void;
  /** Makes the Share link of the board (`base`: the app's address). */
  shareBoard(base?: string): Promise<void>;
  /** Makes every shot not made yet, in order, keeping the rest. */
  generateFilm(): Promise<void>;
  /** A new take of shot `index` (a new seed), made with the shots that continue from it. */
  regenerateShot(index: number): Promise<void>;
  stopFilm(): void;
  /** Marks the shots of the board kept in this browser as made (once the model, and so the frame rate, is known). */
  restoreMadeShots(): Promise<void>;
  /** Makes the storyboard sheet (PNG and PDF) of the film, every shot made. */
  exportSheet(): Promise<void>;
};

/** The film's frame rate: the model's, once one is loaded. */
export function filmFps(s: KinetoState): number | null {
  return s.model.status === 'ready' ? s.model.manifest.defaults.fps : null;
}

/** The model a film is made with, as the Library names it; null before one is loaded. */
function filmModel(s: KinetoState): ClipModel | null {
  return s.model.status === 'ready' ? { id: s.model.manifest.id, name: s.model.manifest.name, manifestSha256: s.model.manifestSha256 } : null;
}

/**
 * Whether opening `opened` in place of `shown` sets work aside: the board shown holds something (it is not a blank
 * board) that `opened` does not say. Such a board is kept to bring back; the Library asks before opening over it.
 */
export function replacesWork(shown: Board, opened: Board): boolean {
  const same = JSON.stringify(shown) === JSON.stringify(opened);
  const blank = JSON.stringify(shown) === JSON.stringify({ ...blankBoard(), seed: shown.seed });
  return !same && !blank;
}

const idleFilm: FilmState = { status: 'idle', made: [], current: null, message: null, problems: [], output: null, resumable: false };
const idleSheet: SheetState = { status: 'idle', files: null, message: null };

/** Where the slice gets its film engine (the app's is wired to the worker; tests pass a fake). */
export type FilmEngineFor = (get: () => KinetoState) => FilmEngine;

export const createStoryboardSlice = (engineFor: FilmEngineFor): StateCreator<KinetoState, [], [], StoryboardSlice> => (set, get) => {
  const patch = (p: Partial<StoryboardState>) => set((s) => ({ storyboard: { ...s.storyboard, ...p } }));
  const patchFilm = (p: Partial<FilmState>) => set((s) => ({ storyboard: { ...s.storyboard, film: { ...s.storyboard.film, ...p } } }));
  const board = () => get().storyboard.board;
  /** An edit of the board: the old Share link no longer says it. */
  const edit = (next: Board, announcement?: string) => {
    if (next === board()) return;
    patch({ board: next, link: null, ...(announcement !== undefined ? { announcement } : {}) });
  };
  const shotName = (shot: Shot | undefined, position: number) => `Shot ${position + 1}${shot?.prompt.trim() ? ` (“${shot.prompt.trim().slice(0, 40)}”)` : ''}`;
  const patchSheet = (p: Partial<SheetState>) => set((s) => ({ storyboard: { ...s.storyboard, sheet: { ...s.storyboard.sheet, ...p } } }));
  const results = new Map<string, ShotResult>();
  let running: AbortController | null = null;

  /** Shots kept from before a reload come back from the browser's storage rather than being made again. */
  const loadKept = async (plan: readonly ShotPlan[], engine: FilmEngine) => {
    for (const p of plan) {
      if (results.has(p.key)) continue;
      const kept = await engine.kept.load(p.key);
      if (kept) results.set(p.key, kept);
    }
  };

  /** Replaces the board with an opened one, keeping the old one to bring back if it held anything else. */
  const replaceWith = (opened: Board, from: string) => {
    const old = board();
    patch({ board: opened, replaced: replacesWork(old, opened) ? old : null, opened: { from, problems: [] }, link: null });
  };

  /** Runs `targets` (with what they continue from) through the film engine. */
  const run = async (targets: Iterable<number>) => {
    if (running) return;
    const controller = new AbortController();
    running = controller;
    try {
      await runWith(controller, targets);
    } finally {
      running = null;
    }
  };

  const runWith = async (controller: AbortController, targets: Iterable<number>) => {
    const fps = filmFps(get());
    const model = filmModel(get());
    if (fps === null || model === null) {
      patchFilm({ status: 'failed', message: 'The model is not loaded yet: a film is made at its frame rate, so wait for it (see Create).', problems: [] });
      return;
    }
    const snapshot = board();
    const problems = filmProblems(snapshot, fps, false);
    if (problems.length > 0) {
      patchFilm({ status: 'failed', message: null, problems });
      return;
    }
    const plan = planFilm(snapshot, fps);
    const engine = engineFor(get);
    await loadKept(plan, engine);
    const todo = shotsToMake(plan, (key) => results.has(key), targets);
    patchFilm({ status: 'making', current: null, message: null, problems: [], resumable: false });
    // The sheet shows the shots as they were: a new run may change them.
    releaseSheetFiles(get().storyboard.sheet.files);
    patch({ sheet: idleSheet });
    try {
      await makeShots(plan, todo, engine, results, {
        signal: controller.signal,
        started: (index, done, total) => patchFilm({ current: { index, done, total, fraction: 0 } }),
        progress: (fraction) => set((s) => {
          const current = s.storyboard.film.current;
          return current ? { storyboard: { ...s.storyboard, film: { ...s.storyboard.film, current: { ...current, fraction } } } } : {};
        }),
        made: async (index) => {
          const key = plan[index]!.key;
          await engine.kept.save(key, results.get(key)!);
          patchFilm({ made: [...get().storyboard.film.made, key] });
        },
      });
      const planned = new Set(plan.map((p) => p.key));
      // Results no shot of this board uses any more would only hold memory (and storage).
      for (const key of results.keys()) if (!planned.has(key)) results.delete(key);
      await engine.kept.keepOnly([...planned]);
      const made = get().storyboard.film.made.filter((k) => planned.has(k));
      if (controller.signal.aborted) patchFilm({ status: 'stopped', current: null, made, message: 'Stopped. The shots made so far are kept.', resumable: made.length > 0 });
      else if (!plan.every((p) => results.has(p.key))) patchFilm({ status: 'idle', current: null, made });
      else {
        patchFilm({ status: 'encoding', current: null, made });
        const output = await encodeBoardFilm(snapshot, fps, plan, results, engine, { signal: controller.signal, progress: () => {} }, model);
        releaseFilmOutput(get().storyboard.film.output);
        patchFilm({ status: 'made', output });
      }
    } catch (e) {
      if (controller.signal.aborted) patchFilm({ status: 'stopped', current: null, message: 'Stopped. The shots made so far are kept.', resumable: true });
      else {
        const message = e instanceof ShotFailure ? `Shot ${e.index + 1} could not be made: ${e.message}` : `The film could not be encoded: ${e instanceof Error ? e.message : String(e)}`;
        patchFilm({ status: 'failed', current: null, message });
      }
    }
  };

  return {
    storyboard: { board: blankBoard(), announcement: '', opened: null, replaced: null, link: null, storageProblem: null, film: idleFilm, sheet: idleSheet },
    setBoardTitle: (title) => edit({ ...board(), title }),
    setBoardSeed: (seed) => edit({ ...board(), seed }),
    setBurnCaptions: (burnCaptions) => edit({ ...board(), burnCaptions }),
    editShot: (index, p) => edit(editShot(board(), index, p)),
    addShot: () => edit(addShot(board()), `Shot ${board().shots.length + 1} added.`),
    duplicateShot: (index) => edit(duplicateShot(board(), index), `${shotName(board().shots[index], index)} duplicated as shot ${index + 2}.`),
    deleteShot: (index) => edit(deleteShot(board(), index), `${shotName(board().shots[index], index)} deleted.`),
    moveShot: (from, to) => {
      const next = moveShot(board(), from, to);
      const at = Math.min(Math.max(0, to), next.shots.length - 1); // where moveShot put it (tidying may have copied it)
      edit(next, `${shotName(board().shots[from], from)} is now shot ${at + 1} of ${next.shots.length}.`);
    },
    chooseShotPicture: async (index, file) => {
      try {
        const image = await pictureDataUrl(file);
        edit(editShot(board(), index, { start: { image, name: file.name } }));
      } catch (e) {
        patch({ opened: { from: file.name, problems: [e instanceof Error ? e.message : String(e)] } });
      }
    },
    openBoardFile: async (file) => {
      const parsed = readBoardText(await file.text());
      if (parsed.ok) replaceWith(parsed.board, file.name);
      else patch({ opened: { from: file.name, problems: parsed.problems.map(problemText) } });
    },
    openBoardLink: async (query) => {
      const parsed = await boardFromQuery(query);
      if (!parsed) return false;
      if (parsed.ok) replaceWith(parsed.board, 'a link');
      else patch({ opened: { from: 'a link', problems: parsed.problems.map(problemText) } });
      return true;
    },
    openBoard: (opened, from) => replaceWith(opened, from),
    restoreBoard: (restored) => patch({ board: restored }),
    reportStorageProblem: (storageProblem) => {
      if (storageProblem !== get().storyboard.storageProblem) patch({ storageProblem });
    },
    // A swap, so that nothing is lost: the board it brings back sets aside the one shown (edits and all).
    bringBackReplacedBoard: () => {
      const replaced = get().storyboard.replaced;
      if (replaced) patch({ board: replaced, replaced: board(), opened: null, link: null });
    },
    // Dismissing a bad file's problems keeps a board set aside before; dismissing the notice lets it go.
    dismissOpened: () => patch(get().storyboard.opened?.problems.length ? { opened: null } : { opened: null, replaced: null }),
    downloadBoard: () => downloadBlob(new Blob([boardText(board())], { type: 'application/json' }), boardFileName(board())),
    shareBoard: async (base = location.href) => {
      const shared = board();
      const hash = await boardLinkHash(shared);
      if (board() !== shared) return; // edited meanwhile: the link would not say what is on screen
      patch({ link: { url: `${base.split('#')[0]}${hash}`, picturesLeftOut: linkedBoard(shared).picturesLeftOut } });
    },
    generateFilm: () => run(board().shots.keys()),
    regenerateShot: async (index) => {
      if (running || !board().shots[index]) return;
      edit(editShot(board(), index, { seed: randomSeed() }));
      const fps = filmFps(get());
      await run(fps === null ? [index] : continuingFrom(planFilm(board(), fps), index));
    },
    stopFilm: () => running?.abort(),
    restoreMadeShots: async () => {
      const fps = filmFps(get());
      if (fps === null || running) return;
      const plan = planFilm(board(), fps);
      const stored = new Set(await engineFor(get).kept.keys());
      const made = plan.map((p) => p.key).filter((k) => stored.has(k));
      if (running || made.length === 0) return;
      patchFilm({ made, resumable: made.length < plan.length });
    },
    exportSheet: async () => {
      const fps = filmFps(get());
      if (fps === null || running || get().storyboard.sheet.status === 'making') return;
      const snapshot = board();
      patchSheet({ status: 'making', message: null });
      try {
        const plan = planFilm(snapshot, fps);
        await loadKept(plan, engineFor(get));
        const missing = plan.findIndex((p) => !results.has(p.key));
        if (missing >= 0) throw new Error(`shot ${missing + 1} is not made yet, so Generate film first`);
        const sheet = sheetOf(snapshot, buildTimeline(snapshot, fps), plan.map((p) => results.get(p.key)!.frames));
        const files = await makeSheetFiles(snapshot, sheet);
        releaseSheetFiles(get().storyboard.sheet.files);
        patchSheet({ status: 'made', files });
      } catch (e) {
        patchSheet({ status: 'failed', message: `The sheet could not be made: ${e instanceof Error ? e.message : String(e)}.` });
      }
    },
  };
};

/** A picture the board names but this browser does not hold (a path, or a link's file name). */
export function missingPicture(shot: Shot): string | null {
  return isImageStart(shot.start) && !isDataUrl(shot.start.image) ? shot.start.image : null;
}
