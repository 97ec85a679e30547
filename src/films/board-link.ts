/**
 * The Share link of a board: the whole document (prompts, seeds, lengths, starts, transitions, captions) in the
 * address, `#/storyboard?board=…`, as base64url of its JSON ("j…") or of that JSON deflated ("z…"), whichever is
 * shorter. Pictures chosen in the browser (data: URLs) are far too large for an address: a link carries the
 * picture's file name in their place, a path whoever opens it chooses again (the CLI reads it beside the board file).
 */
import { type Board, isImageStart, type Shot } from './board';
import { boardDocument } from './board-file';
import { type ParsedBoard, parseBoard } from './parse-board';

/** The query key of a board in a `#/storyboard?…` address. */
export const BOARD_LINK_KEY = 'board';

export const isDataUrl = (image: string) => image.startsWith('data:');

/** The board a link carries: data: URL pictures replaced by their names. Returns how many were left out. */
export function linkedBoard(board: Board): { board: Board; picturesLeftOut: number } {
  let picturesLeftOut = 0;
  const shots = board.shots.map((s, i): Shot => {
    if (!isImageStart(s.start) || !isDataUrl(s.start.image)) return s;
    picturesLeftOut++;
    return { ...s, start: { image: s.start.name ?? `shot-${i + 1}.png` } };
  });
  return { board: { ...board, shots }, picturesLeftOut };
}

/** The `board=…` value for `board` (pictures left out: see `linkedBoard`). */
export async function encodeBoardLink(board: Board): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(boardDocument(linkedBoard(board).board)));
  const plain = `j${toBase64Url(json)}`;
  const deflated = `z${toBase64Url(await pipeThrough(json, new CompressionStream('deflate-raw')))}`;
  return deflated.length < plain.length ? deflated : plain;
}

/** The `#/storyboard?board=…` hash of `board`. */
export async function boardLinkHash(board: Board): Promise<string> {
  return `#/storyboard?${BOARD_LINK_KEY}=${await encodeBoardLink(board)}`;
}

/** The board in a route's query (`board=…`), or null when it carries none. */
export async function boardFromQuery(query: string): Promise<ParsedBoard | null> {
  const value = new URLSearchParams(query).get(BOARD_LINK_KEY);
  if (value === null) return null;
  const damaged: ParsedBoard = { ok: false, problems: [{ path: '', message: 'the link\'s board is damaged (was the link cut short when it was copied?)' }] };
  try {
    const bytes = fromBase64Url(value.slice(1));
    const json = value[0] === 'z' ? await pipeThrough(bytes, new DecompressionStream('deflate-raw')) : value[0] === 'j' ? bytes : null;
    if (!json) return damaged;
    return parseBoard(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json)));
  } catch {
    return damaged;
  }
}

/** `bytes` through a (de)compression stream. */
export async function pipeThrough(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
