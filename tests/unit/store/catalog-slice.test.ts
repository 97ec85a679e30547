/** The catalog's gate: when a model needs a confirmation before downloading, and what blocks it. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../src/engine/manifest';
import { assessModel } from '../../../src/engine/requirements';
import { mustConfirm, offerBlocker } from '../../../src/store/catalog-slice';
import { bigGpu, noGpu, swiftShader } from '../../fixtures/devices';

const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const hubSd = parseManifest(read('public/models/hub/sd-turbo.json'));
const hubMs = parseManifest(read('public/models/hub/modelscope-t2v.json'));
const shapes = parseManifest(read('public/models/kineto-shapes/manifest.json'));

describe('the gate policy', () => {
  it('stops before downloading unless the model runs here under a permissive licence with no notice', () => {
    expect(mustConfirm(shapes, assessModel(shapes, noGpu))).toBe(false);
    expect(mustConfirm(hubSd, assessModel(hubSd, bigGpu))).toBe(true); // licence
    expect(mustConfirm({ ...shapes, licenseNotice: 'Read me.' }, assessModel(shapes, noGpu))).toBe(true);
    const huge = structuredClone(shapes);
    huge.requirements = { webgpu: true, shaderF16: true };
    expect(mustConfirm(huge, assessModel(huge, swiftShader))).toBe(true); // cannot run here
  });

  it('needs the licence accepted first, and "Try anyway" for a model that cannot run here', () => {
    const verdict = assessModel(hubMs, swiftShader);
    const offer = { manifestUrl: 'https://example.org/m.json', manifest: hubMs, licenseAccepted: false };
    expect(offerBlocker(offer, verdict, true)).toBe('license');
    expect(offerBlocker({ ...offer, licenseAccepted: true }, verdict, false)).toBe('capability');
    expect(offerBlocker({ ...offer, licenseAccepted: true }, verdict, true)).toBeNull();
  });
});
