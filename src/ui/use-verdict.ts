import { useMemo } from 'react';
import { assessModel, type ModelVerdict } from '../engine/requirements';
import type { ModelManifest } from '../engine/types';
import { deviceCapabilities, useKineto } from '../store';

/** This browser's verdict on a model (`assessModel`), recomputed when the probe or the Backend choice changes; null until probed. */
export function useVerdict(manifest: ModelManifest | null | undefined): ModelVerdict | null {
  const caps = useKineto((s) => s.capabilities);
  const backendChoice = useKineto((s) => s.backendChoice);
  return useMemo(() => (manifest && caps ? assessModel(manifest, deviceCapabilities(caps, backendChoice)) : null), [manifest, caps, backendChoice]);
}
