import { BackendPanel } from './BackendPanel';
import { ErrorBanner } from './ErrorBanner';
import { ModelPanel } from './ModelPanel';
import { PreviewStrip } from './PreviewStrip';
import { ProgressPanel } from './ProgressPanel';
import { PromptForm } from './PromptForm';
import { VideoResult } from './VideoResult';

/** Page layout: settings on the left, what the model is making on the right. */
export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          Kineto <span className="tagline">text to video in your browser</span>
        </h1>
      </header>
      <ErrorBanner />
      <main className="layout">
        <div className="column">
          <PromptForm />
          <ModelPanel />
          <BackendPanel />
        </div>
        <div className="column">
          <ProgressPanel />
          <PreviewStrip />
          <VideoResult />
        </div>
      </main>
      <footer className="app-footer">
        <p>Kineto runs a diffusion model in a Web Worker with onnxruntime-web (WebGPU or WASM); no server is involved.</p>
      </footer>
    </div>
  );
}
