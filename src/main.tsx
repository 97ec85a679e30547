import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AUTOMATION } from './automation';
import { connectLibrary } from './library/connect-library';
import { connectStoryboard } from './films/connect-storyboard';
import { installLabRoute } from './lab/route';
import { registerServiceWorker } from './pwa/register';
import { useKineto } from './store';
import { connectRoute } from './store/route-sync';
import { App } from './ui/App';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('Kineto: <div id="root"> is missing from index.html.');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// Outside React so StrictMode's double effects cannot start the engine twice.
void useKineto.getState().start();
installLabRoute(useKineto);
connectLibrary(useKineto);
connectStoryboard(useKineto);
connectRoute(useKineto);
registerServiceWorker();

declare global {
  interface Window {
    /** The store, in automation builds only (end-to-end tests, `npm run bench`, the soak: src/automation.ts). */
    kineto?: typeof useKineto;
  }
}
if (AUTOMATION) window.kineto = useKineto;
