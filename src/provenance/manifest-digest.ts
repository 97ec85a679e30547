/**
 * sha256 of a model's manifest.json, for the provenance record: the bytes at its URL when it has one (the embedded
 * model, a downloaded model; the service worker or HTTP cache answers offline), else the parsed manifest as JSON (a
 * picked folder). Computed once per manifest URL.
 */
import type { ModelManifest } from '../engine/types';
import { sha256Hex } from '../hash/sha256';

const digests = new Map<string, Promise<string>>();

async function digestOf(manifestUrl: string | null, manifest: ModelManifest): Promise<string> {
  if (manifestUrl) {
    try {
      const res = await fetch(manifestUrl);
      if (res.ok) return await sha256Hex(new Uint8Array(await res.arrayBuffer()));
    } catch {
      // Unreachable now (offline, not cached): fall back to the manifest as loaded.
    }
  }
  return sha256Hex(new TextEncoder().encode(JSON.stringify(manifest)));
}

export function manifestDigest(manifestUrl: string | null, manifest: ModelManifest): Promise<string> {
  if (!manifestUrl) return digestOf(null, manifest);
  let d = digests.get(manifestUrl);
  if (!d) {
    d = digestOf(manifestUrl, manifest);
    digests.set(manifestUrl, d);
  }
  return d;
}
