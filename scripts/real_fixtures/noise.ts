// Writes Kineto's seeded noise stream (engine/rng.ts) as little-endian float32 to stdout, so that diffusers'
// reference runs start from exactly the numbers the TypeScript engine draws. Usage: tsx noise.ts SEED COUNT
import { Rng } from '../../src/engine/rng';

const [seed, count] = process.argv.slice(2).map(Number);
process.stdout.write(Buffer.from(new Rng(seed!).gaussian(count!).buffer));
