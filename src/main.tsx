import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useKineto } from './store';
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

declare global {
  interface Window {
    /** The store, for automation (end-to-end tests, `npm run bench`) and for the curious in DevTools. */
    kineto?: typeof useKineto;
  }
}
window.kineto = useKineto;
