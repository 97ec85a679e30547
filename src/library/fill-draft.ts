import type { StoreApi } from 'zustand';
import type { KinetoState } from '../store';
import type { Draft } from '../store/settings-slice';

/**
 * Writes settings into the form. The model's defaults are written into it when a model first loads; settings given
 * before that (a share link at page load, a Remix while the model loads) go in after them, so they are not overwritten.
 */
export function fillDraft(store: StoreApi<KinetoState>, fields: Partial<Draft>): void {
  const apply = () => {
    const { setDraftField } = store.getState();
    for (const [field, value] of Object.entries(fields) as [keyof Draft, Draft[keyof Draft]][]) setDraftField(field, value);
  };
  if (store.getState().draftModelId !== null) return apply();
  const stop = store.subscribe((s) => {
    if (s.draftModelId === null) return;
    stop();
    apply();
  });
}
