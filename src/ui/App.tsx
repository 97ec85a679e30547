import { BackendPanel } from './BackendPanel';
import { ErrorBanner } from './ErrorBanner';
import { ModelPanel } from './ModelPanel';
import { PreviewStrip } from './PreviewStrip';
import { ProgressPanel } from './ProgressPanel';
import { PromptForm } from './PromptForm';
import { VideoResult } from './VideoResult';

/**
 * Page layout. DOM (and Tab) order is prompt → output → model/engine; on wide screens the output column sits on the
 * right beside both the form and the model/engine panels.
 */
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
        <div className="column area-form">
          <PromptForm />
        </div>
        <div className="column area-output">
          <ProgressPanel />
          <PreviewStrip />
          <VideoResult />
        </div>
        <div className="column area-info">
          <ModelPanel />
          <BackendPanel />
        </div>
      </main>
      <footer className="app-footer">
        <p>Kineto runs a diffusion model in a Web Worker with onnxruntime-web (WebGPU or WASM); no server is involved.</p>
      </footer>
    </div>
  );
}
