/** The page half of bench/hash.ts: the same measurement in Chromium's main thread. */
import { type HashRate, measureHashers } from '../hash-measure';

declare global {
  interface Window {
    hashBench: (mb: number) => Promise<HashRate[]>;
  }
}

window.hashBench = measureHashers;
