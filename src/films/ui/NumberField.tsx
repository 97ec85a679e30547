import { useEffect, useId, useState } from 'react';

type Props = {
  label: string;
  /** The board's value; undefined: none (an optional field, shown empty). */
  value: number | undefined;
  /** Why a value cannot go in the board (parse-board.ts's checks), or null. */
  problem(value: number): string | null;
  /** Called with each value the board can hold; undefined when an optional field is emptied. */
  commit(value: number | undefined): void;
  optional?: boolean;
  step?: number;
  placeholder?: string;
  /** A problem the board has with this field now (Generate film's), shown under it. */
  issue?: string;
  /** Names the control for the Storyboard's focus keeping (a shot's controls after a move). */
  control?: string;
  hint?: string;
};

/**
 * A number the board keeps only while it is valid: typing "4" on the way to "45" is fine, and a value the board
 * cannot hold is named under the field while the board keeps the last good one (so the board is always a document
 * that opens again).
 */
export function NumberField({ label, value, problem, commit, optional = false, step = 1, placeholder, issue, control, hint }: Props) {
  const id = useId();
  const shown = value === undefined ? '' : String(value);
  const [text, setText] = useState(shown);
  // A change from elsewhere (a move, an opened board, Regenerate) replaces what is typed.
  useEffect(() => setText((t) => (t.trim() !== '' && Number(t) === value ? t : shown)), [value, shown]);
  const n = Number(text);
  const empty = text.trim() === '';
  const typed = empty ? (optional ? null : 'is needed') : Number.isFinite(n) ? problem(n) : 'must be a number';
  const message = typed === null ? issue : `${label} ${typed}; the board keeps ${shown === '' ? 'none' : shown}.`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={step}
        value={text}
        placeholder={placeholder}
        data-control={control}
        aria-invalid={message ? true : undefined}
        aria-describedby={message || hint ? `${id}-note` : undefined}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (t.trim() === '') {
            if (optional) commit(undefined);
          } else if (Number.isFinite(Number(t)) && problem(Number(t)) === null) commit(Number(t));
        }}
      />
      {(message || hint) && (
        <span id={`${id}-note`} className={message ? 'field-issue' : 'hint'}>
          {message ?? hint}
        </span>
      )}
    </div>
  );
}
