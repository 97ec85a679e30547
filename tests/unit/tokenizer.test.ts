import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/engine/manifest';
import { createTokenizer } from '../../src/tokenizer';

const dir = 'public/models/kineto-shapes/';
const manifest = parseManifest(JSON.parse(readFileSync(dir + 'manifest.json', 'utf8')));
const tok = createTokenizer(manifest.tokenizer, JSON.parse(readFileSync(dir + 'tokenizer.json', 'utf8')));
const vocab = manifest.vocabulary!;
const id = (w: string) => vocab.indexOf(w) + 3; // ids 0–2 are [PAD], [UNK], [BOS]

describe('word-level tokenizer (tokenizer.json through @huggingface/tokenizers)', () => {
  it('lowercases, drops punctuation, starts with BOS and pads to max_length', () => {
    const { ids, unknownWords } = tok.encode('A Red ball, rolling LEFT!');
    expect(ids).toEqual([2, id('a'), id('red'), id('ball'), id('rolling'), id('left'), ...Array(10).fill(0)]);
    expect(unknownWords).toEqual([]);
  });

  it('maps unknown words to [UNK] and reports them', () => {
    const { ids, unknownWords } = tok.encode('a crimson circle');
    expect(ids.slice(0, 4)).toEqual([2, id('a'), 1, id('circle')]);
    expect(unknownWords).toEqual(['crimson']);
  });

  it('encodes the empty prompt (unconditional branch) as BOS + padding', () => {
    expect(tok.encode('').ids).toEqual([2, ...Array(15).fill(0)]);
  });

  it('truncates long prompts and says how much was cut', () => {
    const long = Array(20).fill('red').join(' ');
    const r = tok.encode(long);
    expect(r.ids).toHaveLength(16);
    expect(r.truncatedWords).toBe(5);
  });
});
