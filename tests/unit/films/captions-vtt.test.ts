import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Board, blankBoard, type Shot } from '../../../src/films/board';
import { boardVtt, vttTimestamp } from '../../../src/films/captions-vtt';
import { buildTimeline } from '../../../src/films/timeline';

const shot = (seconds: number, extra: Partial<Shot> = {}): Shot => ({ prompt: 'x', seconds, start: 'cut', transition: 'cut', ...extra });
const boardOf = (...shots: Shot[]): Board => ({ ...blankBoard(), shots });

describe('WebVTT captions', () => {
  it('formats timestamps to the millisecond', () => {
    expect(vttTimestamp(0)).toBe('00:00:00.000');
    expect(vttTimestamp(2.5)).toBe('00:00:02.500');
    expect(vttTimestamp(1 / 3)).toBe('00:00:00.333');
    expect(vttTimestamp(3725.0004)).toBe('01:02:05.000');
  });

  it('gives one cue per captioned shot, timed on its slot (a crossfade\'s lead-in still belongs to the shot before)', () => {
    const board = boardOf(
      shot(2, { caption: 'Keeper: "Another night."' }),
      shot(1.5),
      shot(3, { transition: { crossfade: 6 }, caption: 'A ship <in> the fog & rain\n\n  --> second line ' }),
    );
    expect(boardVtt(board, buildTimeline(board, 8))).toBe(
      'WEBVTT\n\nshot-1\n00:00:00.000 --> 00:00:02.000\nKeeper: "Another night."\n\n' +
        'shot-3\n00:00:03.500 --> 00:00:06.500\nA ship &lt;in&gt; the fog &amp; rain\n--&gt; second line\n',
    );
    expect(boardVtt(boardOf(shot(2)), buildTimeline(boardOf(shot(2)), 8))).toBe('WEBVTT\n');
  });

  it('is read by ffmpeg with the same cues', () => {
    const board = boardOf(shot(2, { caption: 'One' }), shot(1, { caption: 'Two & <three>' }), shot(1), shot(2.5, { caption: 'Four' }));
    const dir = mkdtempSync(path.join(tmpdir(), 'kineto-vtt-'));
    try {
      const file = path.join(dir, 'board.vtt');
      writeFileSync(file, boardVtt(board, buildTimeline(board, 10)));
      const srt = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'srt', '-'], { encoding: 'utf8' });
      expect(srt.replace(/\r/g, '').trim().split('\n\n')).toEqual([
        '1\n00:00:00,000 --> 00:00:02,000\nOne',
        '2\n00:00:02,000 --> 00:00:03,000\nTwo & <three>',
        '3\n00:00:04,000 --> 00:00:06,500\nFour',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
