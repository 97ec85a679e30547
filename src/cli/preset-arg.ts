/** The CLIs' `--preset` option. */
import { KinetoError } from '../engine/errors';
import { type PresetName, PRESET_NAMES } from '../engine/types';

/** `--preset` as a preset name; absent: the model's default (Fast when offered). */
export function parsePreset(value: string | undefined): PresetName | undefined {
  if (value === undefined) return undefined;
  if (!(PRESET_NAMES as readonly string[]).includes(value))
    throw new KinetoError('bad-parameter', `--preset must be one of ${PRESET_NAMES.join(', ')} (got "${value}").`);
  return value as PresetName;
}
