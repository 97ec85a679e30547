/// <reference lib="dom.asynciterable" />
/**
 * A `FileSource` over a model folder the person picked (offline demos): a `FileSystemDirectoryHandle` from
 * `showDirectoryPicker`, or the files of an `<input type=file webkitdirectory>` with their paths. Nothing is
 * copied into the weight store; every file is checked by loadModel (or here, for external data) before use.
 */
import { KinetoError } from '../engine/errors';
import { sha256OfBlob } from '../hash/sha256-blob';
import type { FileExpectation, FileSource } from './file-source';

/** A picked file and its path inside the picked folder (`webkitRelativePath` without the folder's own name). */
export type FolderFile = { path: string; file: File };
/** What the page hands the worker for a picked folder. */
export type FolderInput = FileSystemDirectoryHandle | FolderFile[];

/** `webkitRelativePath` ("kineto-shapes/unet/model.onnx") → path inside the picked folder ("unet/model.onnx"). */
export function pathInPickedFolder(webkitRelativePath: string): string {
  const i = webkitRelativePath.indexOf('/');
  return i < 0 ? webkitRelativePath : webkitRelativePath.slice(i + 1);
}

type Lookup = (path: string) => Promise<File | null>;

function fileListLookup(files: FolderFile[]): { lookup: Lookup; paths: string[] } {
  const byPath = new Map(files.map((f) => [f.path, f.file]));
  return { lookup: async (p) => byPath.get(p) ?? null, paths: [...byPath.keys()] };
}

function handleLookup(root: FileSystemDirectoryHandle): Lookup {
  return async (path) => {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    let dir = root;
    try {
      for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
      return await (await dir.getFileHandle(parts[parts.length - 1] ?? '')).getFile();
    } catch {
      return null;
    }
  };
}

/**
 * The folder as a FileSource. When manifest.json is not at the top but in exactly one subfolder (the person
 * picked the folder above the model), that subfolder is used.
 */
export async function folderSource(input: FolderInput, folderName: string): Promise<FileSource> {
  let lookup: Lookup;
  if (Array.isArray(input)) {
    const { lookup: byList, paths } = fileListLookup(input);
    const nested = paths.filter((p) => /^[^/]+\/manifest\.json$/.test(p));
    const base = paths.includes('manifest.json') || nested.length !== 1 ? '' : nested[0]!.slice(0, -'manifest.json'.length);
    lookup = (p) => byList(base + p);
  } else {
    lookup = handleLookup(input);
    if (!(await lookup('manifest.json'))) {
      const subdirs: FileSystemDirectoryHandle[] = [];
      for await (const h of input.values()) if (h.kind === 'directory') subdirs.push(h as FileSystemDirectoryHandle);
      const withManifest = [];
      for (const d of subdirs) if (await handleLookup(d)('manifest.json')) withManifest.push(d);
      if (withManifest.length === 1) lookup = handleLookup(withManifest[0]!);
    }
  }
  const read = async (path: string): Promise<File> => {
    const f = await lookup(path);
    if (!f) throw new KinetoError('model-file-missing', `${path} was not found in the folder "${folderName}".`);
    return f;
  };
  return {
    describe: (path) => `${folderName}/${path}`,
    async readJson(path) {
      const text = await (await read(path)).text();
      try {
        return JSON.parse(text);
      } catch {
        throw new KinetoError(path === 'manifest.json' ? 'bad-manifest' : 'model-file-corrupt', `${path} in "${folderName}" is not valid JSON.`);
      }
    },
    async readBytes(path, onProgress) {
      const bytes = new Uint8Array(await (await read(path)).arrayBuffer());
      onProgress?.(bytes.byteLength);
      return bytes;
    },
    async readVerifiedBlob(path: string, expected: FileExpectation) {
      const file = await read(path);
      if (file.size !== expected.bytes) {
        const what = file.size < expected.bytes ? 'truncated' : 'larger than expected';
        throw new KinetoError('model-file-corrupt', `${path} is ${what}: ${file.size} bytes, the manifest says ${expected.bytes}.`);
      }
      if (expected.sha256) {
        const got = await sha256OfBlob(file);
        if (got !== expected.sha256) throw new KinetoError('model-file-corrupt', `${path} is corrupt: its sha256 is ${got}, the manifest says ${expected.sha256}.`);
      }
      return file;
    },
  };
}
