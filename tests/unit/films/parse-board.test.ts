import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { blankBoard, BOARD_LIMITS } from '../../../src/films/board';
import { parseBoard, problemText } from '../../../src/films/parse-board';

const schema = JSON.parse(readFileSync('docs/storyboard.schema.json', 'utf8'));
// strictTuples off: a board's first shot has its own rules (prefixItems) and the rest share one (items), a tuple only in part.
const validate = new Ajv2020({ allErrors: true, strict: true, strictTuples: false }).compile(schema);

/** The example board. */
const EXAMPLE = {
  version: 1,
  title: 'The lighthouse',
  seed: 7,
  shots: [
    { prompt: 'a lighthouse at dusk', seconds: 2, start: 'cut' },
    { prompt: 'the beam sweeps the sea', seconds: 2, start: 'continue', caption: 'Keeper: "Another night."' },
    { prompt: 'a ship in the fog', seconds: 3, start: { image: 'ship.png' }, transition: { crossfade: 6 }, seed: 11 },
  ],
};
const shot = (extra: Record<string, unknown> = {}) => ({ prompt: 'a red ball', seconds: 2, ...extra });
const board = (shots: unknown[], extra: Record<string, unknown> = {}) => ({ version: 1, shots, ...extra });

const GOOD: [string, unknown][] = [
  ['the issue\'s example', EXAMPLE],
  ['the least a board can be', board([shot()])],
  ['a blank board as the app starts it', blankBoard()],
  ['a draft shot with no prompt yet', board([shot({ prompt: '' })])],
  ['fractional seconds at both limits', board([shot({ seconds: 1 }), shot({ seconds: 30 }), shot({ seconds: 2.5 })])],
  ['an editor\'s $schema', board([shot()], { $schema: 'https://example.org/storyboard.schema.json' })],
  ['a data URL start with a name, after a cut', board([shot(), shot({ start: { image: 'data:image/png;base64,iVBORw0KGgo=', name: 'castle.png' }, transition: 'cut' })])],
  ['a first shot from a picture', board([shot({ start: { image: 'first.png' } })])],
  ['a crossfade into a cut', board([shot(), shot({ start: 'cut', transition: { crossfade: 120 } })])],
  ['seeds at their limits', board([shot({ seed: 0 }), shot({ seed: 4294967295 })], { seed: 4294967295 })],
  ['every field', board([shot({ caption: 'Hello', seed: 3, start: 'cut', transition: 'cut' })], { title: 'T', seed: 1, burnCaptions: true })],
  ['50 shots', board(Array.from({ length: 50 }, () => shot()))],
  ['a title of 120 characters written with astral letters', board([shot()], { title: '🎬'.repeat(120) })],
];

/** Bad boards and the first problem the validator must name (the schema must refuse them too). */
const BAD: [string, unknown, string][] = [
  ['not an object', [EXAMPLE], 'a board is a JSON object'],
  ['no version', { shots: [shot()] }, 'version: missing'],
  ['a newer version', { ...EXAMPLE, version: 2 }, 'version: this board is version 2, from a newer Kineto'],
  ['no shots', board([]), 'shots: must be a list of 1 to 50 shots'],
  ['51 shots', board(Array.from({ length: 51 }, () => shot())), 'shots: must be a list of 1 to 50 shots'],
  ['shots missing', { version: 1 }, 'shots: missing'],
  ['seconds too long', board([shot(), shot(), shot({ seconds: 31 })]), 'shots[2].seconds: must be a number from 1 to 30'],
  ['seconds as text', board([shot({ seconds: '2' })]), 'shots[0].seconds: must be a number from 1 to 30'],
  ['seconds under a second', board([shot({ seconds: 0.5 })]), 'shots[0].seconds: must be a number from 1 to 30'],
  ['seconds missing', board([{ prompt: 'x' }]), 'shots[0].seconds: missing'],
  ['prompt missing', board([{ seconds: 2 }]), 'shots[0].prompt: missing'],
  ['prompt too long', board([shot({ prompt: 'a'.repeat(501) })]), 'shots[0].prompt: must be text of at most 500 characters'],
  ['a misspelt field', board([shot(), { prompt: 'x', secnods: 2, seconds: 2 }]), 'shots[1].secnods: unknown field; a shot has prompt, seconds, start, transition, seed and caption'],
  ['an unknown top field', board([shot()], { fps: 8 }), 'fps: unknown field; a board has version, title, seed, burnCaptions and shots'],
  ['a start that is no start', board([shot(), shot({ start: 'fade' })]), 'shots[1].start: must be "continue", "cut" or { "image": "<path or data URL>" }'],
  ['an empty image', board([shot({ start: { image: ' ' } })]), 'shots[0].start.image: must be a file path or a data: URL'],
  ['an image start with more', board([shot({ start: { image: 'a.png', crop: 1 } })]), 'shots[0].start.crop: unknown field; an image start has image and name'],
  ['a first shot that continues', board([shot({ start: 'continue' })]), 'shots[0].start: the first shot has nothing to continue from'],
  ['a first shot that crossfades', board([shot({ transition: { crossfade: 4 } })]), 'shots[0].transition: the first shot has no shot before it'],
  ['a crossfade into a continuing shot', board([shot(), shot({ transition: { crossfade: 4 } })]), 'shots[1].transition: a shot that continues flows on'],
  ['a crossfade of no frames', board([shot(), shot({ start: 'cut', transition: { crossfade: 0 } })]), 'shots[1].transition.crossfade: must be a whole number of frames from 1 to 120'],
  ['a fractional crossfade', board([shot(), shot({ start: 'cut', transition: { crossfade: 2.5 } })]), 'shots[1].transition.crossfade: must be a whole number'],
  ['a transition that is no transition', board([shot(), shot({ start: 'cut', transition: 'wipe' })]), 'shots[1].transition: must be "cut" or { "crossfade": <frames> }'],
  ['a negative seed', board([shot()], { seed: -1 }), 'seed: must be a whole number from 0 to 4294967295'],
  ['a fractional shot seed', board([shot({ seed: 1.5 })]), 'shots[0].seed: must be a whole number'],
  ['a caption too long', board([shot({ caption: 'x'.repeat(301) })]), 'shots[0].caption: must be text of at most 300 characters'],
  ['a title too long', board([shot()], { title: 'x'.repeat(121) }), 'title: must be text of at most 120 characters'],
  ['burnCaptions as text', board([shot()], { burnCaptions: 'yes' }), 'burnCaptions: must be true or false'],
  ['a shot that is not an object', board([shot(), 'a red ball']), 'shots[1]: must be an object'],
];

describe('parseBoard', () => {
  it.each(GOOD)('reads %s, as the schema does', (_, raw) => {
    const r = parseBoard(raw);
    expect(r.ok ? [] : r.problems.map(problemText)).toEqual([]);
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(BAD)('refuses %s, as the schema does, naming the field', (_, raw, first) => {
    const r = parseBoard(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(problemText(r.problems[0]!)).toContain(first);
    expect(validate(raw)).toBe(false);
  });

  it('fills the defaults: the first shot cuts, later ones continue, transitions cut, the board\'s title and seed', () => {
    const r = parseBoard(board([shot(), shot({ caption: '' })]));
    expect(r).toEqual({
      ok: true,
      board: { version: 1, title: 'Untitled film', seed: 0, burnCaptions: false, shots: [
        { prompt: 'a red ball', seconds: 2, start: 'cut', transition: 'cut' },
        { prompt: 'a red ball', seconds: 2, start: 'continue', transition: 'cut' },
      ] },
    });
  });

  it('keeps what the board says, and copies it (editing the result leaves the input alone)', () => {
    const r = parseBoard(EXAMPLE);
    if (!r.ok) throw new Error(r.problems.map(problemText).join('\n'));
    expect(r.board.shots[2]).toEqual({ prompt: 'a ship in the fog', seconds: 3, start: { image: 'ship.png' }, transition: { crossfade: 6 }, seed: 11 });
    expect(r.board.shots[1]?.caption).toBe('Keeper: "Another night."');
    (r.board.shots[2]!.start as { image: string }).image = 'changed.png';
    expect(EXAMPLE.shots[2]!.start).toEqual({ image: 'ship.png' });
  });

  it('names every problem at once', () => {
    const r = parseBoard(board([shot({ seconds: 0 }), shot({ prompt: 3, seed: -2 })], { title: 5 }));
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toEqual(['title', 'shots[0].seconds', 'shots[1].prompt', 'shots[1].seed']);
  });

  it('keeps the schema\'s numbers and the limits in step', () => {
    const shotSchema = schema.$defs.shot.properties;
    expect([shotSchema.seconds.minimum, shotSchema.seconds.maximum]).toEqual([BOARD_LIMITS.seconds.min, BOARD_LIMITS.seconds.max]);
    expect(shotSchema.prompt.maxLength).toBe(BOARD_LIMITS.promptChars);
    expect(shotSchema.caption.maxLength).toBe(BOARD_LIMITS.captionChars);
    expect(schema.properties.title.maxLength).toBe(BOARD_LIMITS.titleChars);
    expect([schema.properties.shots.minItems, schema.properties.shots.maxItems]).toEqual([BOARD_LIMITS.shots.min, BOARD_LIMITS.shots.max]);
    expect(schema.$defs.seed.maximum).toBe(BOARD_LIMITS.seed.max);
    expect(shotSchema.transition.oneOf[1].properties.crossfade.maximum).toBe(BOARD_LIMITS.crossfade.max);
  });
});
