/** Dates as the Library shows them (byte counts use the app's `formatBytes`). */
export function formatDate(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A length as the Library shows it: `12 s`, `1.5 s`, `2 min 5 s`. */
export function formatSeconds(seconds: number): string {
  const tenths = Math.round(seconds * 10);
  const s = (tenths % 600) / 10;
  return tenths < 600 ? `${s} s` : `${Math.floor(tenths / 600)} min${s > 0 ? ` ${s} s` : ''}`;
}
