/**
 * One model in the weight store: its record in memory, saved after every change (saves are serialised, so the
 * record on disk is always one complete JSON), and the rule for when a stored file is stale.
 */
import type { FileRecord, ModelRecord, WeightStore } from './store';

/** What a file should be, from the manifest. */
export type FileTarget = { url: string; expectedBytes: number | null; expectedSha256: string | null };

export class ModelEntry {
  private saving: Promise<void> = Promise.resolve();

  private constructor(readonly store: WeightStore, readonly record: ModelRecord, private readonly manifestChanged: boolean) {}

  get id(): string {
    return this.record.id;
  }

  /** The model's record, created when absent; `id`, `name`, `manifestUrl` and `manifest` are updated. */
  static async open(store: WeightStore, info: Pick<ModelRecord, 'id' | 'name' | 'manifestUrl' | 'manifest'>): Promise<ModelEntry> {
    const existing = await store.readRecord(info.id);
    const record: ModelRecord = { files: {}, ...existing, ...info, updatedAt: Date.now() };
    const changed = existing !== null && JSON.stringify(existing.manifest) !== JSON.stringify(info.manifest);
    const entry = new ModelEntry(store, record, changed);
    await entry.save();
    return entry;
  }

  file(path: string): FileRecord | undefined {
    return this.record.files[path];
  }

  /**
   * Declares what `path` should be and reconciles the record with the bytes on disk. A stored file whose
   * expected size or sha256 changed (a new version of the model) is dropped, and so is one with no sha256 to vouch
   * for it (the tokenizer) when it came from another URL or the manifest changed.
   */
  async expect(path: string, target: FileTarget): Promise<FileRecord> {
    const old = this.record.files[path];
    const stale = old !== undefined && (
      (target.expectedSha256 !== null && (old.expectedSha256 ?? old.sha256) !== null && (old.expectedSha256 ?? old.sha256) !== target.expectedSha256)
      || (target.expectedBytes !== null && old.expectedBytes !== null && old.expectedBytes !== target.expectedBytes)
      || (target.expectedSha256 === null && (old.url !== target.url || this.manifestChanged)));
    const onDisk = await this.store.fileSize(this.id, path);
    let rec: FileRecord;
    if (!old || stale) {
      if (onDisk > 0) await this.store.deleteFile(this.id, path);
      rec = { ...target, storedBytes: 0, hashState: null, sha256: null };
    } else {
      rec = { ...old, ...target };
      if (rec.sha256 !== null && (onDisk !== rec.storedBytes || (rec.expectedBytes !== null && onDisk !== rec.expectedBytes))) {
        // A complete file whose size changed on disk: start again.
        await this.store.deleteFile(this.id, path);
        rec = { ...rec, storedBytes: 0, hashState: null, sha256: null };
      } else if (onDisk < rec.storedBytes) {
        // The record ran ahead of the data (a crash between the two writes): continue from what is on disk.
        rec = { ...rec, storedBytes: onDisk, hashState: rec.hashState?.bytes === onDisk ? rec.hashState : null };
      }
    }
    this.record.files[path] = rec;
    await this.save();
    return rec;
  }

  /** Updates a file's record and saves. */
  async update(path: string, patch: Partial<FileRecord>): Promise<FileRecord> {
    const rec = { ...this.record.files[path]!, ...patch };
    this.record.files[path] = rec;
    await this.save();
    return rec;
  }

  /** Deletes a file's bytes and resets its record (the next load downloads it again). */
  async drop(path: string): Promise<void> {
    await this.store.deleteFile(this.id, path);
    const rec = this.record.files[path];
    if (rec) this.record.files[path] = { ...rec, storedBytes: 0, hashState: null, sha256: null };
    await this.save();
  }

  save(): Promise<void> {
    this.record.updatedAt = Date.now();
    const snapshot = structuredClone(this.record);
    this.saving = this.saving.catch(() => {}).then(() => this.store.writeRecord(snapshot));
    return this.saving;
  }
}
