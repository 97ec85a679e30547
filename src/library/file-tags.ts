/**
 * Reads a clip file's metadata tags back with mediabunny (loaded on demand: only this button needs it on the page),
 * so a person can see what the file itself says about its origin.
 */
import { type Provenance, readProvenance } from '../provenance/tags';

export type FileTags = { title: string | null; provenance: Provenance | null };

export async function readFileTags(file: Blob): Promise<FileTags> {
  const { ALL_FORMATS, BlobSource, Input } = await import('mediabunny');
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    const tags = await input.getMetadataTags();
    return { title: tags.title ?? null, provenance: readProvenance(tags) };
  } finally {
    input.dispose();
  }
}
