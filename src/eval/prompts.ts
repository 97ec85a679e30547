/**
 * The fixed evaluation set: every held-out colour × shape × motion triple (never seen in training) and as many
 * seen triples, each in two sizes and two backgrounds, as plain prompts. Deterministic: no randomness here.
 */
import { WORLD } from './detector';

export type EvalCase = { prompt: string; colour: string; shape: string; motion: string; heldOut: boolean };

const MOTION_WORDS: Record<string, string> = {
  left: 'moving left', right: 'moving right', up: 'moving up', down: 'moving down',
  'up-left': 'moving up and left', 'up-right': 'moving up and right',
  'down-left': 'moving down and left', 'down-right': 'moving down and right',
};
const BACKGROUND_WORDS: Record<string, string> = {
  black: 'on a black background', white: 'on a white background',
  'gray gradient': 'on a gray gradient', 'teal gradient': 'on a teal gradient',
};

/** Seen triples for comparison: the held-out triples with colour and shape rotated, which training did see. */
function seenTriples(): string[][] {
  const held = new Set(WORLD.held_out.map((t) => t.join('|')));
  const colours = Object.keys(WORLD.colours);
  return WORLD.held_out
    .map(([c, s, m], i) => [colours[(colours.indexOf(c!) + 1 + i) % colours.length]!, WORLD.shapes[(WORLD.shapes.indexOf(s!) + 1) % WORLD.shapes.length]!, m!])
    .filter((t) => !held.has(t.join('|')));
}

export function evalCases(): EvalCase[] {
  const cases: EvalCase[] = [];
  const add = (triples: string[][], heldOut: boolean) => {
    triples.forEach(([colour, shape, motion], i) => {
      const backgrounds = colour === 'white' ? ['black', 'teal gradient'] : i % 2 ? ['black', 'white'] : ['gray gradient', 'teal gradient'];
      for (const [j, bg] of backgrounds.entries()) {
        const size = j === 0 ? 'large' : 'small';
        cases.push({ prompt: `a ${size} ${colour} ${shape} ${MOTION_WORDS[motion!]} ${BACKGROUND_WORDS[bg]}`, colour: colour!, shape: shape!, motion: motion!, heldOut });
      }
    });
  };
  add(WORLD.held_out, true);
  add(seenTriples(), false);
  return cases;
}
