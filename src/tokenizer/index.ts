/**
 * Tokenizer adapter: Hugging Face tokenizer.json files (the word-level vocabulary of Kineto-Shapes, CLIP's
 * BPE for Hub models) run by @huggingface/tokenizers — the tokenizer library transformers.js itself uses —
 * then padded/truncated to the text encoder's fixed length. Words the vocabulary lacks are reported.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { KinetoError } from '../engine/errors';
import type { TextTokenizer, TokenizerSpec } from '../engine/types';

export function createTokenizer(spec: TokenizerSpec, tokenizerJson: unknown, tokenizerConfig: unknown = {}): TextTokenizer {
  let tok: Tokenizer;
  try {
    tok = new Tokenizer(tokenizerJson as object, tokenizerConfig as object);
  } catch (e) {
    throw new KinetoError('model-file-corrupt', `${spec.file} is not a valid tokenizer: ${e instanceof Error ? e.message : String(e)}`);
  }
  return {
    maxLength: spec.maxLength,
    encode(text: string) {
      const enc = tok.encode(text);
      const unknownWords: string[] = [];
      const ids = enc.ids.map((id, i) => {
        const known = id !== undefined && (spec.unknownId === undefined || id !== spec.unknownId);
        if (!known) unknownWords.push(enc.tokens[i] ?? '');
        return id ?? spec.unknownId ?? spec.padId;
      });
      const truncatedWords = Math.max(0, ids.length - spec.maxLength);
      const fixed = ids.slice(0, spec.maxLength);
      while (fixed.length < spec.maxLength) fixed.push(spec.padId);
      return { ids: fixed, unknownWords, truncatedWords };
    },
  };
}
