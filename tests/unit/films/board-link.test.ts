import { describe, expect, it } from 'vitest';
import { type Board, blankBoard } from '../../../src/films/board';
import { boardFromQuery, boardLinkHash, encodeBoardLink, linkedBoard } from '../../../src/films/board-link';
import { parseRoute } from '../../../src/store/route-slice';

const PICTURE = `data:image/jpeg;base64,${'A'.repeat(40_000)}`;

const BOARD: Board = {
  version: 1,
  title: 'Le phare — «night» 🌊',
  seed: 7,
  burnCaptions: true,
  shots: [
    { prompt: 'a lighthouse at dusk', seconds: 2, start: 'cut', transition: 'cut', caption: 'Keeper: "Another night."\nSecond line & <more>' },
    { prompt: 'the beam sweeps the sea', seconds: 1.5, start: 'continue', transition: 'cut', seed: 4294967295 },
    { prompt: 'a ship in the fog', seconds: 3, start: { image: 'ship.png' }, transition: { crossfade: 6 } },
  ],
};

async function roundTrip(board: Board): Promise<Board> {
  const route = parseRoute(await boardLinkHash(board));
  expect(route.view).toBe('storyboard');
  const parsed = await boardFromQuery(route.query);
  if (!parsed?.ok) throw new Error(JSON.stringify(parsed));
  return parsed.board;
}

describe('board share link', () => {
  it('carries the whole board through the address and back', async () => {
    expect(await roundTrip(BOARD)).toEqual(BOARD);
    expect(await roundTrip(blankBoard(123))).toEqual(blankBoard(123));
  });

  it('compresses a long board and leaves a short one plain, whichever is shorter', async () => {
    const long: Board = { ...BOARD, shots: Array.from({ length: 30 }, (_, i) => ({ ...BOARD.shots[0]!, prompt: `shot ${i}: a lighthouse at dusk, waves, gulls` })) };
    const z = await encodeBoardLink(long);
    expect(z[0]).toBe('z');
    expect(z.length).toBeLessThan(JSON.stringify(long).length / 4);
    expect(await roundTrip(long)).toEqual(long);
    // A plain link ("j": base64url of the JSON) reads as well; the writer picks it when deflating does not pay.
    const plain = `board=j${btoa(JSON.stringify(blankBoard(5))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
    expect(await boardFromQuery(plain)).toEqual({ ok: true, board: blankBoard(5) });
    // Only address-safe characters: nothing to escape.
    expect(z).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('leaves pictures chosen in the browser out, naming them in their place', async () => {
    const withPicture: Board = { ...BOARD, shots: [...BOARD.shots, { ...BOARD.shots[2]!, start: { image: PICTURE, name: 'castle.jpg' } }, { ...BOARD.shots[2]!, start: { image: PICTURE } }] };
    expect(linkedBoard(withPicture).picturesLeftOut).toBe(2);
    const back = await roundTrip(withPicture);
    expect(back.shots[3]?.start).toEqual({ image: 'castle.jpg' });
    expect(back.shots[4]?.start).toEqual({ image: 'shot-5.png' });
    expect(back.shots[2]?.start).toEqual({ image: 'ship.png' });
    expect((await boardLinkHash(withPicture)).length).toBeLessThan(2000);
  });

  it('names a damaged or foreign link, and says nothing of a query without a board', async () => {
    const hash = await boardLinkHash({ ...BOARD, shots: Array.from({ length: 10 }, () => BOARD.shots[0]!) });
    const query = parseRoute(hash).query;
    const damaged = 'the link\'s board is damaged';
    for (const q of [query.slice(0, query.length - 20), 'board=zAAAA', 'board=j%%%', 'board=q' + query.slice(7), 'board=']) {
      const r = await boardFromQuery(q);
      expect(r?.ok === false && r.problems[0]?.message, q).toContain(damaged);
    }
    expect(await boardFromQuery('title=x')).toBeNull();
    // A board that is JSON but not a good board is named by its field.
    const bad = `board=j${btoa(JSON.stringify({ version: 1, shots: [{ prompt: 'x', seconds: 99 }] })).replace(/=+$/, '')}`;
    const r = await boardFromQuery(bad);
    expect(r?.ok === false && r.problems).toEqual([{ path: 'shots[0].seconds', message: 'must be a number from 1 to 30' }]);
  });
});
