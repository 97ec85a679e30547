/** A picked model folder (webkitdirectory files) as a FileSource, with Node's File. */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { folderSource, pathInPickedFolder } from '../../../src/weights/folder-source';

const file = (name: string, body: Uint8Array | string) => new File([body as BlobPart], name);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('folderSource', () => {
  it('strips the picked folder name from webkitRelativePath', () => {
    expect(pathInPickedFolder('kineto-shapes/manifest.json')).toBe('manifest.json');
    expect(pathInPickedFolder('kineto-shapes/unet/model.onnx')).toBe('unet/model.onnx');
    expect(pathInPickedFolder('manifest.json')).toBe('manifest.json');
  });

  it('reads JSON and bytes, and names a missing file with the folder', async () => {
    const src = await folderSource([{ path: 'manifest.json', file: file('manifest.json', '{"id":"x"}') }, { path: 'a/b.onnx', file: file('b.onnx', 'abc') }], 'my-model');
    expect(await src.readJson('manifest.json')).toEqual({ id: 'x' });
    expect(new TextDecoder().decode(await src.readBytes('a/b.onnx'))).toBe('abc');
    await expect(src.readBytes('c.onnx')).rejects.toThrow('c.onnx was not found in the folder "my-model".');
    expect(src.describe('a/b.onnx')).toBe('my-model/a/b.onnx');
  });

  it('uses the one subfolder that holds manifest.json when the parent was picked', async () => {
    const src = await folderSource([{ path: 'kineto/manifest.json', file: file('manifest.json', '{"id":"y"}') }, { path: 'kineto/t.json', file: file('t.json', '[1]') }], 'models');
    expect(await src.readJson('manifest.json')).toEqual({ id: 'y' });
    expect(await src.readJson('t.json')).toEqual([1]);
  });

  it('checks an external-data file before handing it over as a Blob', async () => {
    const data = randomBytes(5000);
    const src = await folderSource([{ path: 'w.data', file: file('w.data', data) }], 'm');
    const blob = await src.readVerifiedBlob!('w.data', { file: 'w.data', bytes: 5000, sha256: sha(data) });
    expect(blob.size).toBe(5000);
    await expect(src.readVerifiedBlob!('w.data', { file: 'w.data', bytes: 5000, sha256: sha(randomBytes(4)) })).rejects.toThrow(/^w\.data is corrupt: its sha256 is/);
    await expect(src.readVerifiedBlob!('w.data', { file: 'w.data', bytes: 6000 })).rejects.toThrow(/^w\.data is truncated: 5000 bytes, the manifest says 6000/);
  });
});
