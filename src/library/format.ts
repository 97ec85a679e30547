/** Dates as the Library shows them (byte counts use the app's `formatBytes`). */
export function formatDate(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
