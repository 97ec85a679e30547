import { useKineto } from '../../store';
import type { LabSound } from '../lab-sound';
import { BAR_LABELS, barRows, barsOf, describeSound, isImpact, LEVEL_RANGE_DB, secondsText } from '../sound-strip';

const W = 640;
const PAD = { left: 60, right: 14, top: 6, bottom: 30 };
const ROW = 16;
const GAP = 10;
const LEVEL_H = 72;

/** A tick every 0.25, 0.5, 1, 2 … s: no more than 8 on the axis. */
function tickStep(duration: number): number {
  for (const step of [0.25, 0.5, 1, 2, 5, 10, 30, 60]) if (duration / step <= 8) return step;
  return 120;
}

/** Plain SVG on the clip's time axis: activity bars above, impacts as ticks across, the level curve below. */
function Strip({ sound, playhead }: { sound: LabSound; playhead: number }) {
  const rows = barRows(sound.events);
  const levelTop = PAD.top + rows.length * ROW + GAP;
  const H = levelTop + LEVEL_H + PAD.bottom;
  const d = sound.durationSeconds;
  const x = (t: number) => PAD.left + (Math.min(Math.max(t, 0), d) / d) * (W - PAD.left - PAD.right);
  const { min, max } = LEVEL_RANGE_DB;
  const yLevel = (db: number) => levelTop + (1 - (Math.min(Math.max(db, min), max) - min) / (max - min)) * LEVEL_H;
  const level = sound.level.db.map((v, i) => `${i ? 'L' : 'M'}${x(i * sound.level.hopSeconds).toFixed(1)},${yLevel(v).toFixed(1)}`).join('');
  const step = tickStep(d);
  const ticks = Array.from({ length: Math.floor(d / step + 1e-9) + 1 }, (_, i) => i * step);
  return (
    <figure className="lab-chart lab-sound">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={describeSound(sound)} data-testid="sound-strip">
        <g className="axis" aria-hidden="true">
          <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
          {ticks.map((t) => (
            <text key={t} x={x(t)} y={H - PAD.bottom + 16} textAnchor="middle">{secondsText(t)}</text>
          ))}
          {rows.map((k, i) => (
            <text key={k} x={PAD.left - 6} y={PAD.top + i * ROW + ROW - 4} textAnchor="end">{BAR_LABELS[k]}</text>
          ))}
          <text x={PAD.left - 6} y={yLevel(max) + 10} textAnchor="end">{max} dB</text>
          <text x={PAD.left - 6} y={yLevel(min)} textAnchor="end">{min} dB</text>
        </g>
        {barsOf(sound.events).map((e, i) => (
          <rect key={i} className={`bar ${e.kind}`} x={x(e.fromSeconds)} y={PAD.top + rows.indexOf(e.kind) * ROW + 2}
            width={Math.max(1, x(e.toSeconds) - x(e.fromSeconds))} height={ROW - 4} rx={3} />
        ))}
        <path className="curve level" d={level} />
        {sound.events.filter(isImpact).map((e, i) => (
          <line key={i} className="impact" x1={x(e.seconds)} x2={x(e.seconds)} y1={PAD.top} y2={levelTop + LEVEL_H} strokeWidth={1 + 2 * e.strength} />
        ))}
        <line className="playhead" x1={x(playhead)} x2={x(playhead)} y1={PAD.top} y2={H - PAD.bottom} />
      </svg>
      {/* The caption is both a sentence for the class and the key to the drawing. */}
      <figcaption className="lab-sound-caption">
        The finished clip’s sound, made from its motion: <span className="key impact">| impacts</span> (the object turning
        back or meeting a wall), bars where it{' '}
        {rows.map((k, i) => (
          <span key={k}>
            {i > 0 && (i === rows.length - 1 ? ' or ' : ', ')}
            <span className={`key ${k}`}>▬ {BAR_LABELS[k]}</span>
          </span>
        ))}
        , <span className="key level">— how loud it is</span> and <span className="key marker">┆ the frame shown</span>.
      </figcaption>
    </figure>
  );
}

/** The Sound strip of the Step view: the finished clip's sound on the clip's time axis, with the frame shown marked. */
export function SoundStrip() {
  const sound = useKineto((s) => s.lab.run?.sound ?? null);
  const fps = useKineto((s) => s.lab.run?.params.fps ?? 1);
  const frame = useKineto((s) => s.lab.frame);
  if (!sound) return null;
  return (
    <div className="lab-sound-strip">
      <h3>Sound</h3>
      {'problem' in sound ? <p className="lab-hint">{sound.problem}</p> : <Strip sound={sound} playhead={frame / fps} />}
    </div>
  );
}
