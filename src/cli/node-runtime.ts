/** Node side of the runtime: model files from a folder on disk, onnxruntime-node's native CPU provider. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { KinetoError } from '../engine/errors';
import { type LoadedModel, loadModel } from '../runtime/load-model';
import type { OrtModule } from '../runtime/sessions';
import type { FileSource } from '../weights/file-source';

export const DEFAULT_MODEL_DIR = path.resolve(import.meta.dirname, '../../public/models/kineto-shapes');

export function diskSource(dir: string): FileSource {
  const resolve = (p: string) => path.join(dir, p);
  const read = async (p: string): Promise<Buffer> => {
    try {
      return await readFile(resolve(p));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new KinetoError('model-file-missing', `${p} was not found in ${dir}.`);
      throw e;
    }
  };
  return {
    describe: resolve,
    async readJson(p) {
      const text = (await read(p)).toString('utf8');
      try {
        return JSON.parse(text);
      } catch {
        throw new KinetoError(p === 'manifest.json' ? 'bad-manifest' : 'model-file-corrupt', `${p} is not valid JSON.`);
      }
    },
    async readBytes(p, onProgress) {
      const b = await read(p);
      onProgress?.(b.byteLength);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
  };
}

export function loadModelFromDisk(dir = DEFAULT_MODEL_DIR): Promise<LoadedModel> {
  return loadModel(ort as unknown as OrtModule, diskSource(dir), 'cpu');
}
