import { IsolationStatus } from '../pwa/IsolationStatus';
import { useId } from 'react';
import { formatGb } from '../engine/requirements';
import { describePicks } from '../engine/variants';
import { describeWarmUp } from '../engine/warm-up';
import { ORT_BUILD_LABELS } from '../platform/ort-builds';
import { adapterLabel, useKineto, type BackendSetting } from '../store';
import { explainError } from './messages';

const BACKEND_OPTIONS: { value: BackendSetting; label: string }[] = [
  { value: 'auto', label: 'Auto (fastest here)' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'CPU (WASM)' },
];

const yesNo = (v: boolean) => (v ? 'yes' : 'no');

/** The backend choice and what the browser and the worker report about it. */
export function BackendPanel() {
  const id = useId();
  const choice = useKineto((s) => s.backendChoice);
  const chooseBackend = useKineto((s) => s.chooseBackend);
  const running = useKineto((s) => s.run.status !== 'idle');
  const caps = useKineto((s) => s.capabilities);
  const info = useKineto((s) => (s.model.status === 'ready' ? s.model.backendInfo : null));
  const loading = useKineto((s) => s.model.status === 'loading');
  const warmUp = useKineto((s) => s.warmUp);

  const inUse = info ? (info.backend === 'webgpu' ? 'WebGPU' : 'WASM') : loading ? 'loading…' : 'none';
  const adapter = caps?.adapter;
  const adapterName = adapter ? adapterLabel(adapter) ?? 'unnamed adapter' : (info?.adapter ?? 'none');
  const limits = caps?.limits;
  const largestBuffer = limits ? formatGb(Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize) / 1024 ** 3) : 'n/a';
  const memory = caps?.deviceMemoryGb;

  return (
    <section className="panel backend-panel">
      <h2 className="panel-title">Engine</h2>
      <div className="field">
        <label htmlFor={`${id}-backend`}>Backend</label>
        <select
          id={`${id}-backend`}
          value={choice}
          disabled={running}
          aria-describedby={`${id}-backend-hint`}
          onChange={(e) => void chooseBackend(e.target.value as BackendSetting)}
        >
          {BACKEND_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <p id={`${id}-backend-hint`} className="hint">
          {running ? 'Finish or cancel the run to switch.' : 'Switching reloads the model.'}
        </p>
      </div>
      {caps && !caps.webgpu && <p className="hint hint-warn">{explainError({ code: 'webgpu-unavailable', message: '' }).sentence}</p>}
      <dl className="facts">
        <dt>In use</dt>
        <dd data-testid="backend-in-use">{inUse}</dd>
        <dt>Why</dt>
        <dd data-testid="backend-why">{info ? info.selection.summary : '…'}</dd>
        <dt>GPU adapter</dt>
        <dd>{caps ? adapterName : '…'}</dd>
        <dt>Fallback (software) adapter</dt>
        <dd>{caps ? (adapter ? yesNo(adapter.isFallbackAdapter) : 'n/a') : '…'}</dd>
        <dt>shader-f16</dt>
        <dd>{caps ? yesNo(info?.backend === 'webgpu' ? info.shaderF16 : caps.shaderF16) : '…'}</dd>
        <dt>Largest GPU buffer</dt>
        <dd>{caps ? largestBuffer : '…'}</dd>
        <dt>Device memory</dt>
        <dd>{caps ? (typeof memory === 'number' ? `${formatGb(memory)} (a rounded hint from the browser)` : 'not reported by this browser') : '…'}</dd>
        <dt>Weights</dt>
        <dd data-testid="weights-variant">{info ? (describePicks(info.variants) ?? 'one set (the model offers no variants)') : '…'}</dd>
        <dt>WASM threads</dt>
        <dd>{info?.backend === 'wasm' ? info.threads : (caps?.wasmThreads ?? '…')}</dd>
        {warmUp && (
          <>
            <dt>CPU warm-up</dt>
            <dd data-testid="warm-up">{warmUp.status === 'running' ? 'making practice clips in the background; Generate stops it' : describeWarmUp(warmUp.report)}</dd>
          </>
        )}
        <dt>onnxruntime-web build</dt>
        <dd data-testid="ort-build">{caps ? ORT_BUILD_LABELS[caps.ortBuild] : '…'}</dd>
        <dt>Cross-origin isolated</dt>
        <dd>{caps ? yesNo(caps.crossOriginIsolated) : '…'}</dd>
        <dt>Video codecs</dt>
        <dd>{caps ? (caps.codecs.length > 0 ? caps.codecs.join(', ') : 'none found') : '…'}</dd>
      </dl>
      <IsolationStatus />
    </section>
  );
}
