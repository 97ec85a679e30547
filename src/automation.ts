/**
 * Automation hooks — the fault injection and storage pretences the end-to-end tests drive, the store on `window`,
 * the performance marks `npm run bench` times — exist only in builds made with `vite build --mode automation` (what
 * `npm test`, `npm run bench` and the soak build) and under Vite's dev server and Vitest. Vite replaces
 * `import.meta.env.MODE` when it bundles, so the shipped build (`vite build`, mode `production`) drops every branch
 * behind `AUTOMATION`; tests/node/production-bundle.test.ts proves it on the built files.
 */
export const AUTOMATION: boolean = import.meta.env.MODE !== 'production';

/** Places a performance mark for `npm run bench` (nothing in the shipped build). */
export function markForBench(name: string): void {
  if (AUTOMATION) performance.mark(name);
}
