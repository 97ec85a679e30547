/**
 * `#/lab` opens the Lab; any other hash the generator. A lesson link (`#/lab?…`) is applied when it is opened, and
 * again once the model is ready if it arrived first (its run needs the model).
 */
import type { useKineto } from '../store';
import { isLabHash } from './lesson-link';

export function installLabRoute(store: typeof useKineto): void {
  const apply = () => {
    if (isLabHash(location.hash)) store.getState().openLabHash(location.hash);
    else store.getState().setLabOpen(false);
  };
  window.addEventListener('hashchange', apply);
  apply();
  store.subscribe((s, prev) => {
    if (s.model.status !== 'ready' || prev.model.status === 'ready' || !s.lab.open) return;
    if (s.lab.pendingLesson && !s.lab.run && s.lab.status === 'idle') s.openLabHash(location.hash);
    else s.setLabOpen(true); // draws the Schedule chart for the model now loaded
  });
}
