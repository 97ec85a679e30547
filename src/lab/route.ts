/**
 * The Lab follows the route (`#/lab`, `#/lab?…`): entering it, or a new lesson link while in it, opens that address;
 * leaving it stops what plays. A lesson link is applied again once the model is ready if it arrived first (its run
 * needs the model).
 */
import type { StoreApi } from 'zustand';
import { formatRoute, type KinetoState } from '../store';

export function installLabRoute(store: StoreApi<KinetoState>): void {
  const open = (s: KinetoState) => s.openLabHash(formatRoute(s.route));
  if (store.getState().route.view === 'lab') open(store.getState());
  store.subscribe((s, prev) => {
    const inLab = s.route.view === 'lab';
    const wasInLab = prev.route.view === 'lab';
    if (inLab && (!wasInLab || s.route.query !== prev.route.query)) open(s);
    else if (wasInLab && !inLab) s.closeLab();
    else if (inLab && s.model.status === 'ready' && prev.model.status !== 'ready') {
      if (s.lab.pendingLesson && !s.lab.run && s.lab.status === 'idle') open(s);
      else s.drawLabChart();
    }
  });
}
