import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Frames, ModelManifest } from '../../../src/engine/types';
import { parseManifest } from '../../../src/engine/manifest';
import { type Board, blankBoard } from '../../../src/films/board';
import { boardDocument, boardText } from '../../../src/films/board-file';
import type { EncodedFilm, FilmEngine, FilmToEncode, MakeShotOptions, ShotKeeper, ShotRequest, ShotResult } from '../../../src/films/film-engine';
import { parseRoute } from '../../../src/store/route-slice';
import { createKinetoStore, type KinetoState } from '../../../src/store';

const manifest: ModelManifest = parseManifest(JSON.parse(readFileSync('public/models/kineto-shapes/manifest.json', 'utf8')));
const noWorker = () => {
  throw new Error('no worker in these tests');
};

/** One makeShot call the fake engine received; `finish` answers it (held calls wait for it). */
type Call = { request: ShotRequest; previous: ShotResult | undefined; options: MakeShotOptions; finish(result?: ShotResult | Error): void };

/**
 * A film engine of ours that answers in memory: each frame of a shot is one byte, (shot index + 1) · 10 + the seed's
 * last digit, so a test can tell which shot and take a result is. `hold` keeps calls open until the test finishes them.
 */
class FakeFilmEngine implements FilmEngine {
  calls: Call[] = [];
  /** The result of each call, in call order (undefined while open or after a failure). */
  results: (ShotResult | undefined)[] = [];
  hold = false;
  failOn: number | null = null;
  shortBy = 0;
  encoded: FilmToEncode[] = [];
  /** What the browser's storage would hold: kept across stores made with the same map, as across a reload. */
  store = new Map<string, ShotResult>();
  kept: ShotKeeper = {
    save: async (key, r) => void this.store.set(key, r),
    load: async (key) => this.store.get(key) ?? null,
    keys: async () => [...this.store.keys()],
    keepOnly: async (keys) => [...this.store.keys()].filter((k) => !keys.includes(k)).forEach((k) => this.store.delete(k)),
  };

  async encodeFilm(film: FilmToEncode): Promise<EncodedFilm> {
    this.encoded.push(film);
    return { video: new Blob([new Uint8Array(film.timeline.frames)], { type: 'video/mp4' }), container: 'mp4', mimeType: 'video/mp4', width: 256, height: 256, audio: true, poster: null };
  }

  makeShot(request: ShotRequest, previous: ShotResult | undefined, options: MakeShotOptions): Promise<ShotResult> {
    return new Promise((resolve, reject) => {
      const frames = (n: number): Frames => ({ width: 1, height: 1, count: n, rgba: Array.from({ length: n }, () => new Uint8ClampedArray(4).fill((request.index + 1) * 10 + (request.seed % 10))) });
      const at = this.calls.length;
      const call: Call = {
        request, previous, options,
        finish: (r) => {
          if (r instanceof Error) return reject(r);
          this.results[at] = r ?? { frames: frames(request.frames - this.shortBy) };
          resolve(this.results[at]);
        },
      };
      options.signal.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError')));
      this.calls.push(call);
      if (this.failOn === request.index) call.finish(new Error('the GPU ran out of memory'));
      else if (!this.hold) setTimeout(() => call.finish(), 0);
    });
  }
}

function storyboardStore(engine: FilmEngine, model = true) {
  const store = createKinetoStore(noWorker, () => engine);
  if (model) store.setState({ model: { status: 'ready', manifest, manifestSha256: 'test', backendInfo: {} as never, loadSeconds: 0 } } as Partial<KinetoState>);
  return store;
}

/** A three-shot board: a cut, a continuation, a crossfade into a fresh shot. */
function write(s: KinetoState): void {
  s.setBoardTitle('The lighthouse');
  s.setBoardSeed(7);
  s.editShot(0, { prompt: 'a lighthouse at dusk' });
  s.addShot();
  s.editShot(1, { prompt: 'the beam sweeps the sea', caption: 'Another night.' });
  s.addShot();
  s.editShot(2, { prompt: 'a ship in the fog', start: 'cut', transition: { crossfade: 4 }, seconds: 1.5 });
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!ok()) throw new Error('timed out');
};

describe('Storyboard slice: making the film', () => {
  it('makes each shot in order, handing a continuing shot the one before, and keeps what it made', async () => {
    const engine = new FakeFilmEngine();
    const store = storyboardStore(engine);
    write(store.getState());
    await store.getState().generateFilm();
    expect(engine.calls.map((c) => [c.request.index, c.request.frames, c.request.seed, c.request.start])).toEqual([[0, 16, 7, 'cut'], [1, 16, 7, 'continue'], [2, 16, 7, 'cut']]);
    expect(engine.calls[0]!.previous).toBeUndefined();
    expect(engine.calls[1]!.previous?.frames.rgba[0]?.[0]).toBe(17);
    expect(engine.calls[2]!.previous).toBeUndefined();
    expect(store.getState().storyboard.film).toMatchObject({ status: 'made', current: null, message: null });
    expect(store.getState().storyboard.film.made).toHaveLength(3);

    await store.getState().generateFilm();
    expect(engine.calls).toHaveLength(3);
    // An edit makes again that shot and the one continuing from it; a caption changes no frame.
    store.getState().editShot(0, { prompt: 'a lighthouse at night' });
    store.getState().editShot(2, { caption: 'A horn sounds.' });
    await store.getState().generateFilm();
    expect(engine.calls.slice(3).map((c) => c.request.index)).toEqual([0, 1]);
    expect(engine.calls[4]!.previous).toBe(engine.results[3]);
    expect(store.getState().storyboard.film.made).toHaveLength(3);
  });

  it('reports progress shot by shot', async () => {
    const engine = new FakeFilmEngine();
    engine.hold = true;
    const store = storyboardStore(engine);
    write(store.getState());
    const done = store.getState().generateFilm();
    await until(() => engine.calls.length === 1);
    expect(store.getState().storyboard.film).toMatchObject({ status: 'making', current: { index: 0, done: 0, total: 3, fraction: 0 } });
    engine.calls[0]!.options.progress(0.5);
    expect(store.getState().storyboard.film.current).toEqual({ index: 0, done: 0, total: 3, fraction: 0.5 });
    engine.calls[0]!.finish();
    await until(() => engine.calls.length === 2);
    expect(store.getState().storyboard.film.current).toMatchObject({ index: 1, done: 1, total: 3 });
    expect(store.getState().storyboard.film.made).toHaveLength(1);
    // A second Generate while one runs does nothing.
    await store.getState().generateFilm();
    expect(engine.calls).toHaveLength(2);
    engine.calls[1]!.finish();
    await until(() => engine.calls.length === 3);
    engine.calls[2]!.finish();
    await done;
    expect(store.getState().storyboard.film.status).toBe('made');
  });

  it('keeps each shot as it is made, so that after a reload Resume film makes only the rest', async () => {
    const engine = new FakeFilmEngine();
    engine.hold = true;
    const store = storyboardStore(engine);
    write(store.getState());
    void store.getState().generateFilm();
    await until(() => engine.calls.length === 1);
    engine.calls[0]!.finish();
    await until(() => engine.calls.length === 2);
    expect(engine.store.size).toBe(1);

    // The page reloads mid-shot: a new store over the same storage, and a fresh engine run.
    const reloaded = new FakeFilmEngine();
    reloaded.store = engine.store;
    const again = storyboardStore(reloaded);
    again.getState().restoreBoard(store.getState().storyboard.board);
    await again.getState().restoreMadeShots();
    expect(again.getState().storyboard.film).toMatchObject({ resumable: true });
    expect(again.getState().storyboard.film.made).toHaveLength(1);
    await again.getState().generateFilm();
    expect(reloaded.calls.map((c) => c.request.index)).toEqual([1, 2]);
    expect(reloaded.calls[0]!.previous!.frames.rgba[0]![0]).toBe(engine.results[0]!.frames.rgba[0]![0]);
    expect(again.getState().storyboard.film).toMatchObject({ status: 'made', resumable: false });
    expect(reloaded.store.size).toBe(3);
  });

  it('regenerates a shot with a new seed, with the shots that continue from it, and no other', async () => {
    const engine = new FakeFilmEngine();
    const store = storyboardStore(engine);
    write(store.getState());
    await store.getState().generateFilm();
    await store.getState().regenerateShot(2);
    const seed2 = store.getState().storyboard.board.shots[2]!.seed;
    expect(seed2).toBeTypeOf('number');
    expect(engine.calls.slice(3).map((c) => [c.request.index, c.request.seed])).toEqual([[2, seed2]]);
    await store.getState().regenerateShot(0);
    expect(engine.calls.slice(4).map((c) => c.request.index)).toEqual([0, 1]);
    expect(engine.calls[5]!.previous?.frames.rgba[0]?.[0]).toBe(10 + (store.getState().storyboard.board.shots[0]!.seed! % 10));
    expect(store.getState().storyboard.film).toMatchObject({ status: 'made' });
    expect(store.getState().storyboard.film.made).toHaveLength(3);
  });

  it('stops when asked, keeping the shots made, and goes on from there next time', async () => {
    const engine = new FakeFilmEngine();
    engine.hold = true;
    const store = storyboardStore(engine);
    write(store.getState());
    const done = store.getState().generateFilm();
    await until(() => engine.calls.length === 1);
    engine.calls[0]!.finish();
    await until(() => engine.calls.length === 2);
    store.getState().stopFilm();
    await done;
    expect(engine.calls[1]!.options.signal.aborted).toBe(true);
    expect(store.getState().storyboard.film).toMatchObject({ status: 'stopped', current: null, message: 'Stopped. The shots made so far are kept.' });
    expect(store.getState().storyboard.film.made).toHaveLength(1);
    engine.hold = false;
    await store.getState().generateFilm();
    expect(engine.calls.slice(2).map((c) => c.request.index)).toEqual([1, 2]);
    expect(engine.calls[2]!.previous?.frames.rgba[0]?.[0]).toBe(17);
  });

  it('says which shot failed and why, and what keeps a film from starting', async () => {
    const engine = new FakeFilmEngine();
    engine.failOn = 1;
    const store = storyboardStore(engine);
    write(store.getState());
    await store.getState().generateFilm();
    expect(store.getState().storyboard.film).toMatchObject({ status: 'failed', message: 'Shot 2 could not be made: the GPU ran out of memory' });
    expect(engine.calls.map((c) => c.request.index)).toEqual([0, 1]);
    engine.failOn = null;
    engine.shortBy = 1;
    await store.getState().generateFilm();
    expect(store.getState().storyboard.film.message).toBe('Shot 2 could not be made: The engine made 15 frames for shot 2; it needs 16');

    store.getState().editShot(1, { prompt: ' ' });
    store.getState().editShot(2, { transition: { crossfade: 40 } });
    const calls = engine.calls.length;
    await store.getState().generateFilm();
    expect(engine.calls).toHaveLength(calls);
    expect(store.getState().storyboard.film.problems).toEqual([
      { path: 'shots[1].prompt', message: 'type what the shot shows' },
      { path: 'shots[2].transition.crossfade', message: '40 frames is longer than shot 2 before it (16 frames at 8 fps)' },
    ]);

    const noModel = storyboardStore(new FakeFilmEngine(), false);
    write(noModel.getState());
    await noModel.getState().generateFilm();
    expect(noModel.getState().storyboard.film.message).toContain('The model is not loaded yet');
  });

  it('encodes the film once every shot is made: shots in order, their seeds, captions burnt only when asked', async () => {
    const engine = new FakeFilmEngine();
    const store = storyboardStore(engine);
    write(store.getState());
    await store.getState().generateFilm();
    const film = store.getState().storyboard.film;
    expect(film.status).toBe('made');
    expect(engine.encoded).toHaveLength(1);
    const sent = engine.encoded[0]!;
    expect(sent.shots.map((f) => f.rgba[0]![0])).toEqual(engine.results.map((r) => r!.frames.rgba[0]![0]));
    expect(sent.seeds).toEqual(engine.calls.map((c) => c.request.seed));
    expect(sent.burnCaptions).toBeNull();
    expect(film.output).toMatchObject({ fileName: 'the-lighthouse.mp4', vttFileName: 'the-lighthouse.vtt', audio: true });
    const vtt = await (await fetch(film.output!.vttUrl)).text();
    expect(vtt).toContain('Another night.');
    // What the Library keeps: the encoded file, the board as made (later edits are not the film's) and its timeline.
    const kept = film.output!.kept;
    expect(kept.video.size).toBe(sent.timeline.frames);
    expect(kept.board).toEqual(boardDocument(store.getState().storyboard.board));
    expect(kept.timeline).toEqual(sent.timeline);
    expect(kept.model).toEqual({ id: manifest.id, name: manifest.name, manifestSha256: 'test' });

    store.getState().setBurnCaptions(true);
    await store.getState().generateFilm();
    expect(engine.calls).toHaveLength(3); // nothing to make again: the captions are drawn at encoding
    expect(engine.encoded[1]!.burnCaptions).toEqual([null, 'Another night.', null]);
  });
});

describe('Storyboard slice: writing, files and links', () => {
  it('announces adds, duplicates, deletes and moves, and an edit retires the Share link', async () => {
    const store = storyboardStore(new FakeFilmEngine());
    const s = () => store.getState();
    write(s());
    expect(s().storyboard.announcement).toBe('Shot 3 added.');
    s().moveShot(2, 0);
    expect(s().storyboard.announcement).toBe('Shot 3 (“a ship in the fog”) is now shot 1 of 3.');
    expect(s().storyboard.board.shots.map((x) => [x.prompt, x.start, x.transition])).toEqual([
      ['a ship in the fog', 'cut', 'cut'],
      ['a lighthouse at dusk', 'cut', 'cut'],
      ['the beam sweeps the sea', 'continue', 'cut'],
    ]);
    s().duplicateShot(2);
    expect(s().storyboard.announcement).toBe('Shot 3 (“the beam sweeps the sea”) duplicated as shot 4.');
    s().deleteShot(3);
    expect(s().storyboard.announcement).toBe('Shot 4 (“the beam sweeps the sea”) deleted.');
    await s().shareBoard('https://kineto.example/app/#/create');
    expect(s().storyboard.link?.url).toMatch(/^https:\/\/kineto\.example\/app\/#\/storyboard\?board=[jz][\w-]+$/);
    s().editShot(0, { seconds: 3 });
    expect(s().storyboard.link).toBeNull();
  });

  it('opens a board from its Share link in another store: the same board', async () => {
    const a = storyboardStore(new FakeFilmEngine());
    write(a.getState());
    a.getState().editShot(2, { start: { image: 'data:image/jpeg;base64,AAAA', name: 'ship.jpg' } });
    await a.getState().shareBoard('http://127.0.0.1/');
    expect(a.getState().storyboard.link?.picturesLeftOut).toBe(1);
    const b = storyboardStore(new FakeFilmEngine());
    const query = parseRoute(new URL(a.getState().storyboard.link!.url).hash).query;
    expect(await b.getState().openBoardLink(query)).toBe(true);
    const expected: Board = structuredClone(a.getState().storyboard.board);
    expected.shots[2]!.start = { image: 'ship.jpg' };
    expect(b.getState().storyboard.board).toEqual(expected);
    expect(b.getState().storyboard.opened).toEqual({ from: 'a link', problems: [] });
    // b's board was blank: nothing to bring back.
    expect(b.getState().storyboard.replaced).toBeNull();
    expect(await b.getState().openBoardLink('x=1')).toBe(false);
  });

  it('opens a board file, keeps the board it replaced to bring back, and names a bad file\'s problems', async () => {
    const store = storyboardStore(new FakeFilmEngine());
    const s = () => store.getState();
    write(s());
    const mine = s().storyboard.board;
    const theirs: Board = { ...blankBoard(3), title: 'Theirs', shots: [{ prompt: 'a cat', seconds: 4, start: 'cut', transition: 'cut' }] };
    await s().openBoardFile(new File([boardText(theirs)], 'theirs.storyboard.json'));
    expect(s().storyboard.board).toEqual(theirs);
    expect(s().storyboard.opened).toEqual({ from: 'theirs.storyboard.json', problems: [] });
    s().editShot(0, { prompt: 'a cat on a wall' });
    const theirsEdited = s().storyboard.board;
    s().bringBackReplacedBoard();
    expect(s().storyboard.board).toEqual(mine);
    // Nothing is lost: the opened board, edits and all, is set aside in turn.
    expect(s().storyboard.replaced).toBe(theirsEdited);
    s().dismissOpened();
    expect(s().storyboard.replaced).toBeNull();

    const bad = JSON.stringify({ version: 1, shots: [{ prompt: 'a', seconds: 2 }, { prompt: 'b', seconds: 2 }, { prompt: 'c', seconds: 45 }] });
    await s().openBoardFile(new File([bad], 'bad.json'));
    expect(s().storyboard.opened).toEqual({ from: 'bad.json', problems: ['shots[2].seconds: must be a number from 1 to 30'] });
    expect(s().storyboard.board).toEqual(mine);
    await s().openBoardFile(new File(['not json'], 'notes.txt'));
    expect(s().storyboard.opened?.problems[0]).toMatch(/^not a JSON file/);
  });
});
