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

describe('CLIP tokenizer (byte-level BPE tokenizer.json, fixture of scripts/make-hub-fixtures.py)', () => {
  const hub = 'tests/fixtures/hub/sd-turbo/';
  const clipJson = JSON.parse(readFileSync(hub + 'tokenizer.json', 'utf8'));
  const clipManifest = parseManifest(JSON.parse(readFileSync(hub + 'manifest.json', 'utf8')));
  const clip = createTokenizer(clipManifest.tokenizer, clipJson);
  // ids straight from the file's vocabulary, independently of the tokenizer library
  const v = (token: string): number => {
    const id = clipJson.model.vocab[token];
    if (id === undefined) throw new Error(`fixture vocab lacks ${token}`);
    return id;
  };
  const BOS = v('<|startoftext|>');
  const EOS = v('<|endoftext|>');
  const pad = (ids: number[], padId = EOS) => [...ids, ...Array(77 - ids.length).fill(padId)];

  it('wraps the BPE tokens in <|startoftext|> … <|endoftext|> and pads to 77 with the end token, like CLIP', () => {
    expect(clipManifest.tokenizer).toMatchObject({ kind: 'clip', maxLength: 77, padId: EOS });
    const r = clip.encode('a red cat');
    expect(r.ids).toEqual(pad([BOS, v('a</w>'), v('red</w>'), v('cat</w>'), EOS]));
    expect(r).toMatchObject({ unknownWords: [], truncatedWords: 0 });
  });

  it("applies CLIP's normalizer (lowercase, collapsed spaces) and splits punctuation and unknown words into bytes", () => {
    expect(clip.encode('A   Red\tCAT').ids).toEqual(clip.encode('a red cat').ids);
    expect(clip.encode('red dogs!').ids.slice(0, 7)).toEqual([BOS, v('red</w>'), v('do'), v('g'), v('s</w>'), v('!</w>'), EOS]);
  });

  it('encodes the empty prompt (unconditional branch) as start, end and padding', () => {
    expect(clip.encode('').ids).toEqual(pad([BOS, EOS]));
  });

  it('truncates to 75 tokens and keeps the end token, counting the tokens cut', () => {
    const r = clip.encode(Array(100).fill('red').join(' '));
    expect(r.ids).toHaveLength(77);
    expect(r.ids[0]).toBe(BOS);
    expect(r.ids.slice(1, 76)).toEqual(Array(75).fill(v('red</w>')));
    expect(r.ids[76]).toBe(EOS);
    expect(r.truncatedWords).toBe(25);
  });

  it("pads with the manifest's pad id (SD 2.x pads with '!', id 0)", () => {
    const sd2 = createTokenizer({ ...clipManifest.tokenizer, padId: 0 }, clipJson);
    expect(sd2.encode('a cat').ids).toEqual(pad([BOS, v('a</w>'), v('cat</w>'), EOS], 0));
  });

  it('refuses a tokenizer.json without the CLIP special tokens', () => {
    const broken = structuredClone(clipJson);
    delete broken.model.vocab['<|startoftext|>'];
    broken.added_tokens = broken.added_tokens.filter((t: { content: string }) => t.content !== '<|startoftext|>');
    broken.post_processor = null;
    expect(() => createTokenizer(clipManifest.tokenizer, broken)).toThrow(/<\|startoftext\|>/);
  });
});
