/**
 * What the Lab's Sound strip shows of a run's sound, as data and words: the rows of its activity bars, the level
 * curve's scale, and the sentence a screen reader hears in place of the drawing. Pure, so it is tested without a page.
 */
import type { ActivityKind, SoundEvent } from '../sound/foley';
import type { LabSound } from './lab-sound';

/** The activities drawn as bars, one row each (stillness is the absence of bars). */
export const BAR_KINDS = ['movement', 'spin', 'growth', 'shrink'] as const satisfies readonly ActivityKind[];
export type BarKind = (typeof BAR_KINDS)[number];

/** Each activity's row label and its wording in the description. */
export const BAR_LABELS: Record<BarKind, string> = { movement: 'moves', spin: 'spins', growth: 'grows', shrink: 'shrinks' };
const DESCRIBED: Record<ActivityKind, string> = { movement: 'moving', spin: 'spinning', growth: 'growing', shrink: 'shrinking', still: 'still' };

/** The level curve's range in dBFS, bottom to top; quieter is drawn at the bottom. */
export const LEVEL_RANGE_DB = { min: -60, max: 0 } as const;
/** Impacts listed by name in the description; the rest are counted. */
const LISTED_IMPACTS = 8;

type Impact = Extract<SoundEvent, { kind: 'impact' }>;
type Run = Exclude<SoundEvent, Impact>;

export const isImpact = (e: SoundEvent): e is Impact => e.kind === 'impact';

/** The bars of a sound: its runs of movement, spin, growth and shrinking. */
export function barsOf(events: readonly SoundEvent[]): (Run & { kind: BarKind })[] {
  return events.filter((e): e is Run & { kind: BarKind } => !isImpact(e) && e.kind !== 'still');
}

/** The rows the strip draws, in BAR_KINDS order: every activity the sound marks, and movement always. */
export function barRows(events: readonly SoundEvent[]): BarKind[] {
  const present = new Set<BarKind>(barsOf(events).map((e) => e.kind));
  return BAR_KINDS.filter((k) => k === 'movement' || present.has(k));
}

/** Seconds as the strip writes them: at most two decimals, no trailing zeros. */
export const secondsText = (s: number) => `${Number(s.toFixed(2))} s`;

/** The strip in one sentence: length, what it follows, the impacts, the runs, the loudness and its loudest moment. */
export function describeSound(sound: LabSound): string {
  const follows = sound.follows === 'object' ? `the ${sound.shape ?? 'object'}` : 'the motion in the picture';
  const impacts = sound.events.filter(isImpact);
  const parts: string[] = [];
  if (impacts.length === 0) parts.push('no impacts');
  else {
    const listed = impacts.slice(0, LISTED_IMPACTS).map((e) => secondsText(e.seconds)).join(', ');
    const more = impacts.length > LISTED_IMPACTS ? ` and ${impacts.length - LISTED_IMPACTS} more` : '';
    parts.push(`${impacts.length} ${impacts.length === 1 ? 'impact' : 'impacts'}, at ${listed}${more}`);
  }
  for (const e of sound.events) {
    if (!isImpact(e)) parts.push(`${DESCRIBED[e.kind]} from ${secondsText(e.fromSeconds)} to ${secondsText(e.toSeconds)}`);
  }
  const { db, hopSeconds } = sound.level;
  const loudest = db.reduce((best, v, i) => (v > db[best]! ? i : best), 0);
  const loudness = sound.loudnessLufs === null
    ? 'silent'
    : `loudness ${sound.loudnessLufs.toFixed(1)} LUFS, loudest ${db[loudest]!.toFixed(1)} dB at ${secondsText(loudest * hopSeconds)}`;
  return `Sound of the finished clip, ${secondsText(sound.durationSeconds)}, following ${follows}: ${parts.join('; ')}; ${loudness}.`;
}
