import { BackendPanel } from './BackendPanel';
import { ErrorBanner } from './ErrorBanner';
import { ModelPanel } from './ModelPanel';
import { PreviewStrip } from './PreviewStrip';
import { ProgressPanel } from './ProgressPanel';
import { PromptForm } from './PromptForm';
import { VideoResult } from './VideoResult';
import { AppNav } from './AppNav';
import { LibraryView } from '../library/LibraryView';
import { PromptInFileSetting } from '../library/PromptInFileSetting';
import { VariationsPanel } from '../library/VariationsPanel';
import { UpdateBanner } from '../pwa/UpdateBanner';
import { LabPage } from '../lab/ui/LabPage';
import { StoryboardPage } from '../films/ui/StoryboardPage';
import { LivePage } from '../live/ui/LivePage';
import { useKineto, type View } from '../store';

/**
 * Making clips. DOM (and Tab) order is prompt → output → model/engine; on wide screens the output column sits on the
 * right beside both the form and the model/engine panels.
 */
function CreatePage() {
  return (
    <main className="layout">
      <div className="column area-form">
        <PromptForm />
        <PromptInFileSetting />
      </div>
      <div className="column area-output">
        <ProgressPanel />
        <PreviewStrip />
        <VideoResult />
        <VariationsPanel />
      </div>
      <div className="column area-info">
        <ModelPanel />
        <BackendPanel />
      </div>
    </main>
  );
}

function LibraryPage() {
  return (
    <main>
      <LibraryView />
    </main>
  );
}

const PAGES: Record<View, () => React.JSX.Element> = { create: CreatePage, library: LibraryPage, lab: LabPage, storyboard: StoryboardPage, live: LivePage };

/** The header with the view links, banners, and the page of the view the route shows. */
export function App() {
  const Page = PAGES[useKineto((s) => s.route.view)];
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          Kineto <span className="tagline">text to video in your browser</span>
        </h1>
        <AppNav />
      </header>
      <UpdateBanner />
      <ErrorBanner />
      <Page />
      <footer className="app-footer">
        <p>Kineto runs a diffusion model in a Web Worker with onnxruntime-web (WebGPU or WASM); no server is involved.</p>
      </footer>
    </div>
  );
}
