/**
 * The board's captions as WebVTT (https://www.w3.org/TR/webvtt1/): one cue per shot with a caption, from the first
 * frame of the shot's slot on the timeline to the end of its last (a crossfade's lead-in is still the shot before).
 */
import type { Board } from './board';
import type { Timeline } from './timeline';

/** `hh:mm:ss.ttt` for a time in seconds, to the millisecond. */
export function vttTimestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

/** Cue text: `&`, `<` and `>` escaped (so no tag and no "-->"), and no blank line (which would end the cue). */
function cueText(caption: string): string {
  const escaped = caption.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== '').join('\n');
}

/** The WebVTT file of `board`'s captions on `t` (its timeline); a board without captions gives the header only. */
export function boardVtt(board: Board, t: Timeline): string {
  const cues = board.shots.flatMap((shot, i) => {
    const span = t.shots[i];
    const text = cueText(shot.caption ?? '');
    if (!span || text === '') return [];
    return [`shot-${i + 1}\n${vttTimestamp(span.first / t.fps)} --> ${vttTimestamp((span.last + 1) / t.fps)}\n${text}\n`];
  });
  return ['WEBVTT\n', ...cues].join('\n');
}
