/**
 * The model catalog (the built-in model and the Hub models whose manifests are served with the app) and the gate
 * in front of every download: a model from a URL or the catalog is checked against this browser and its licence is
 * shown before a byte of weights is fetched. Plain data only; the actions that fetch and load live in `engine.ts`.
 */
import type { StateCreator } from 'zustand';
import { type DeviceCapabilities, isPermissiveLicense, type ModelVerdict } from '../engine/requirements';
import type { ModelManifest } from '../engine/types';
import type { Capabilities } from '../worker/protocol';
import type { BackendSetting } from './settings-slice';
import type { KinetoState } from './index';

/** Hub manifests served with the app under `models/hub/`, in the order the catalog lists them. */
export const HUB_MANIFEST_FILES = ['sd-turbo.json', 'modelscope-t2v.json'] as const;

/** One model the catalog offers. */
export type CatalogEntry = {
  /** `embedded`: served with the app and loaded in place; `url`: downloaded into this browser first. */
  kind: 'embedded' | 'url';
  /** Absolute URL of its manifest. */
  manifestUrl: string;
  /** null when the manifest could not be read or is invalid (`problem` says why). */
  manifest: ModelManifest | null;
  problem: string | null;
};

/**
 * A model whose download waits for the person: its licence must be accepted, or this browser cannot run it and
 * only "Try anyway" starts the download.
 */
export type ModelOffer = { manifestUrl: string; manifest: ModelManifest; licenseAccepted: boolean };

export type CatalogSlice = {
  /** null until read. */
  catalog: CatalogEntry[] | null;
  offer: ModelOffer | null;

  acceptOfferLicense(accepted: boolean): void;
  /** Closes the offer without downloading anything. */
  dismissOffer(): void;
};

export const createCatalogSlice: StateCreator<KinetoState, [], [], CatalogSlice> = (set) => ({
  catalog: null,
  offer: null,

  acceptOfferLicense: (accepted) => set((s) => (s.offer ? { offer: { ...s.offer, licenseAccepted: accepted } } : {})),
  dismissOffer: () => set({ offer: null }),
});

/** The adapter as a person would name it. */
export function adapterLabel(adapter: Capabilities['adapter']): string | null {
  if (!adapter) return null;
  return adapter.description || `${adapter.vendor} ${adapter.architecture}`.trim() || null;
}

/** What the gate compares a manifest with: the worker's probe, the page's `navigator.deviceMemory`, the Backend choice. */
export function deviceCapabilities(caps: Capabilities, backendChoice: BackendSetting): DeviceCapabilities {
  return {
    webgpu: caps.webgpu,
    shaderF16: caps.shaderF16,
    memoryGb: caps.deviceMemoryGb,
    maxBufferBytes: caps.limits?.maxBufferSize ?? null,
    maxStorageBufferBindingBytes: caps.limits?.maxStorageBufferBindingSize ?? null,
    adapterName: adapterLabel(caps.adapter),
    softwareAdapter: caps.adapter?.isFallbackAdapter ?? false,
    wasmChosen: backendChoice === 'wasm',
    webgpuChosen: backendChoice === 'webgpu',
  };
}

/**
 * Whether a download must wait for the person. It goes ahead at once only when the model can run here and its
 * licence is permissive without a notice to read (the licence is still shown beside the download).
 */
export function mustConfirm(m: ModelManifest, verdict: ModelVerdict): boolean {
  return !verdict.runs || !isPermissiveLicense(m.license) || m.licenseNotice !== undefined;
}

/** What the person must still do before "Download" or "Try anyway" starts the download; null when nothing. */
export function offerBlocker(offer: ModelOffer, verdict: ModelVerdict, override: boolean): 'license' | 'capability' | null {
  if (!isPermissiveLicense(offer.manifest.license) && !offer.licenseAccepted) return 'license';
  if (!verdict.runs && !override) return 'capability';
  return null;
}
