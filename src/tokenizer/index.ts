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
  if (spec.kind === 'clip') return clipTokenizer(spec, tok);
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
      const tokens = enc.tokens.slice(0, fixed.length);
      while (fixed.length < spec.maxLength) fixed.push(spec.padId);
      return { ids: fixed, unknownWords, truncatedWords, tokens };
    },
  };
}

/**
 * CLIP's framing, as transformers' CLIPTokenizer applies it for Stable Diffusion-style text encoders:
 * `<|startoftext|> tokens… <|endoftext|>`, truncated so the end token survives (at most maxLength − 2 tokens), then
 * padded to maxLength with the manifest's pad id (CLIP pads with <|endoftext|>; SD 2.x tokenizers with "!", id 0).
 * The framing is added here rather than by the file's post-processor so that truncation cannot cut the end token.
 * `truncatedWords` counts BPE tokens cut; byte-level BPE knows every input, so `unknownWords` stays empty.
 */
function clipTokenizer(spec: TokenizerSpec, tok: Tokenizer): TextTokenizer {
  const special = (name: string): number => {
    const id = tok.token_to_id(name);
    if (id === undefined) throw new KinetoError('model-file-corrupt', `${spec.file} has no ${name} token, which a CLIP tokenizer needs.`);
    return id;
  };
  const bos = special('<|startoftext|>');
  const eos = special('<|endoftext|>');
  if (spec.maxLength < 2) throw new KinetoError('bad-manifest', 'Invalid model manifest: "tokenizer.max_length" must be at least 2 for a CLIP tokenizer.');
  const room = spec.maxLength - 2;
  return {
    maxLength: spec.maxLength,
    encode(text: string) {
      const enc = tok.encode(text, { add_special_tokens: false });
      const content = enc.ids;
      const ids = [bos, ...content.slice(0, room), eos];
      const tokens = ['<|startoftext|>', ...enc.tokens.slice(0, room), '<|endoftext|>'];
      while (ids.length < spec.maxLength) ids.push(spec.padId);
      return { ids, unknownWords: [], truncatedWords: Math.max(0, content.length - room), tokens };
    },
  };
}
