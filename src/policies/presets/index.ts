import type { PolicySettings } from '../policy-settings.ts';
import { preset9292 } from './9292.ts';
import { presetDiscloseIo } from './disclose-io.ts';
import { presetEconnect } from './econnect.ts';
import { presetNcscNl } from './ncsc-nl.ts';
import { presetReconi } from './reconi.ts';

/** The policy presets Haven ships, in the order they are offered. */
export const PRESET_NAMES = ['econnect', 'reconi', '9292', 'ncsc-nl', 'disclose-io'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The presets themselves, frozen: use presetSettings() for a copy to edit. */
export const PRESETS: Readonly<Record<PresetName, PolicySettings>> = deepFreeze({
  econnect: presetEconnect,
  reconi: presetReconi,
  '9292': preset9292,
  'ncsc-nl': presetNcscNl,
  'disclose-io': presetDiscloseIo,
});

export function isPresetName(value: string): value is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(value);
}

/** A deep copy, so callers can edit it freely. */
export function presetSettings(name: PresetName): PolicySettings {
  return structuredClone(PRESETS[name]);
}
