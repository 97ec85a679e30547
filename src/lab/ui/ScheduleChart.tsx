import { SCHEDULER_LABELS } from '../../engine/schedulers';
import type { SchedulerKind } from '../../engine/types';
import type { ScheduleChart as Chart, SchedulePoint } from '../schedule-chart';

const W = 560;
const H = 260;
const PAD = { left: 40, right: 44, top: 12, bottom: 34 };
/** log-SNR is drawn on its own axis, clipped to this range (it runs to ±∞ at the ends). */
const SNR = { min: -10, max: 10 };

/** Plain SVG (no chart library: three curves and markers fit in one small component). */
export function ScheduleChart({ chart, overlay, kind, overlayKind }: { chart: Chart; overlay: Chart | null; kind: SchedulerKind; overlayKind: SchedulerKind | null }) {
  const N = chart.numTrainTimesteps - 1;
  const x = (t: number) => PAD.left + (t / N) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - v * (H - PAD.top - PAD.bottom);
  const ySnr = (v: number) => y((Math.max(SNR.min, Math.min(SNR.max, v)) - SNR.min) / (SNR.max - SNR.min));
  const path = (pts: SchedulePoint[], f: (p: SchedulePoint) => number) => pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${f(p).toFixed(1)}`).join('');
  const steps = chart.markers.length;
  const name = `Schedule: signal level √ᾱ, noise level √(1−ᾱ) and log-SNR against timestep t, with ${steps} ${SCHEDULER_LABELS[kind]} timesteps marked${overlay && overlayKind ? ` and ${overlay.markers.length} ${SCHEDULER_LABELS[overlayKind]} timesteps overlaid` : ''}`;
  return (
    <figure className="lab-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={name} data-testid="schedule-chart">
        <g className="axis" aria-hidden="true">
          <line x1={PAD.left} y1={y(0)} x2={W - PAD.right} y2={y(0)} />
          <line x1={PAD.left} y1={y(0)} x2={PAD.left} y2={y(1)} />
          {[0, 250, 500, 750, N].map((t) => (
            <text key={t} x={x(t)} y={H - PAD.bottom + 16} textAnchor="middle">{t}</text>
          ))}
          <text x={(W + PAD.left - PAD.right) / 2} y={H - 4} textAnchor="middle">timestep t</text>
          <text x={PAD.left - 6} y={y(1) + 4} textAnchor="end">1</text>
          <text x={PAD.left - 6} y={y(0) + 4} textAnchor="end">0</text>
          <text x={W - PAD.right + 6} y={ySnr(SNR.max) + 4}>+10</text>
          <text x={W - PAD.right + 6} y={ySnr(SNR.min) + 4}>−10</text>
        </g>
        <path className="curve signal" d={path(chart.curve, (p) => y(p.signal))} />
        <path className="curve noise" d={path(chart.curve, (p) => y(p.noise))} />
        <path className="curve snr" d={path(chart.curve, (p) => ySnr(p.logSnr))} />
        {overlay?.markers.map((p, i) => (
          <rect key={`o${i}`} className="marker-overlay" x={x(p.t) - 3} y={y(p.noise) - 3} width={6} height={6} />
        ))}
        {chart.markers.map((p, i) => (
          <circle key={i} className="marker-main" cx={x(p.t)} cy={y(p.signal)} r={3.5} />
        ))}
      </svg>
      <figcaption className="lab-legend">
        <span className="key signal">√ᾱ signal</span> <span className="key noise">√(1−ᾱ) noise</span> <span className="key snr">log-SNR</span>{' '}
        <span className="key marker">● {SCHEDULER_LABELS[kind]} ({steps})</span>
        {overlay && overlayKind && <span className="key overlay"> ■ {SCHEDULER_LABELS[overlayKind]} ({overlay.markers.length})</span>}
      </figcaption>
    </figure>
  );
}
