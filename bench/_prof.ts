import { loadModelFromDisk } from '../src/cli/node-runtime';
import { defaultParams } from '../src/engine/params';
import { generateFrames } from '../src/engine/pipelines/text-to-video';
import { makeFoley, tracksObjects } from '../src/sound/foley';
async function main(){
const loaded = await loadModelFromDisk();
const run = await loaded.forPreset('fast');
const params = defaultParams(run.manifest, 'a large red circle bouncing on a black background', 1, run.preset);
const { frames } = await generateFrames(run.manifest, run.models, params, { preview: 'none' });
const f = () => makeFoley(frames.rgba, frames.width, frames.height, { fps: params.fps, seed: 1, trackObject: tracksObjects(run.manifest.id) });
for (let i = 0; i < 5; i++) f();
const t0 = performance.now(); for (let i = 0; i < 20; i++) f(); console.log('foley ms', (performance.now() - t0) / 20);
await loaded.release();
}
void main();
