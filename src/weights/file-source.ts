/**
 * Where model files come from, as one type that loadModel reads through: an HTTP origin (`httpSource` in
 * `runtime/load-model.ts`), the weight cache (`cached-source.ts`), a folder the user picked (`folder-source.ts`),
 * or a folder on disk (CLI, `cli/node-runtime.ts`). Paths are relative to the manifest.
 */

/** What a model file must be: its name (for messages), size and, when known, sha256. */
export type FileExpectation = { file: string; bytes: number; sha256?: string };

export type FileSource = {
  /** Human-readable location of `path`, for error messages. */
  describe(path: string): string;
  readJson(path: string): Promise<unknown>;
  readBytes(path: string, onProgress?: (loadedBytes: number) => void): Promise<Uint8Array>;
  /**
   * Optional, for ONNX external-data files, which may be larger than one buffer should be: the file as a Blob that
   * the source has itself checked against `expected` (size, and sha256 when given). Without it, loadModel reads
   * the bytes with `readBytes` and checks them.
   */
  readVerifiedBlob?(path: string, expected: FileExpectation): Promise<Blob>;
};
