/**
 * The catalog: the manifests of the built-in model and of `models/hub/*.json`, read over HTTP on the page (the
 * worker is not asked). `readManifest` is also how the download gate reads a model's manifest before a download.
 */
import { parseManifest } from '../engine/manifest';
import type { ModelManifest } from '../engine/types';
import { type CatalogEntry, HUB_MANIFEST_FILES } from './catalog-slice';
import type { EngineContext } from './engine-context';

export type CatalogActions = {
  /** Reads the catalog's manifests (the built-in model and `models/hub/*.json`); runs once. */
  loadCatalog(): Promise<void>;
};

/** The bundled model, as an absolute URL (the worker resolves relative URLs against its own script). */
export function embeddedManifestUrl(): string {
  return new URL(`${import.meta.env.BASE_URL}models/kineto-shapes/manifest.json`, document.baseURI).href;
}

/**
 * The manifest at `url`, parsed; or why not. `unreachable` when no answer came at all (offline, CORS refused);
 * otherwise the server answered with an error or an invalid manifest, which the worker reports in detail.
 */
export async function readManifest(url: string): Promise<{ manifest: ModelManifest } | { problem: string; unreachable: boolean }> {
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e), unreachable: true };
  }
  try {
    if (!res.ok) return { problem: `HTTP ${res.status}`, unreachable: false };
    return { manifest: parseManifest(await res.json()) };
  } catch (e) {
    return { problem: e instanceof Error ? e.message : String(e), unreachable: false };
  }
}

export function createCatalogActions({ set }: EngineContext): CatalogActions {
  let catalogRead: Promise<void> | null = null;
  return {
    loadCatalog: () => {
      catalogRead ??= (async () => {
        const hub = HUB_MANIFEST_FILES.map((f) => new URL(`${import.meta.env.BASE_URL}models/hub/${f}`, document.baseURI).href);
        const urls: [CatalogEntry['kind'], string][] = [['embedded', embeddedManifestUrl()], ...hub.map((u) => ['url', u] as [CatalogEntry['kind'], string])];
        const catalog = await Promise.all(urls.map(async ([kind, manifestUrl]): Promise<CatalogEntry> => {
          const read = await readManifest(manifestUrl);
          return 'manifest' in read ? { kind, manifestUrl, manifest: read.manifest, problem: null } : { kind, manifestUrl, manifest: null, problem: read.problem };
        }));
        set({ catalog });
      })();
      return catalogRead;
    },
  };
}
