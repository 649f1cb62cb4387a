import { createContext, useContext } from 'react';
import type { PolicySettings } from '../../api.ts';
import { getIn } from './paths.ts';

export type PolicyEditorApi = {
  settings: PolicySettings;
  /** Put `value` at the dotted `path` (immutably) and forget the errors under it. */
  set: (path: string, value: unknown) => void;
  /** The message to show beside the control for exactly this path. */
  error: (path: string) => string | undefined;
  readOnly: boolean;
};

export const PolicyEditorContext = createContext<PolicyEditorApi | null>(null);

export function useEditor(): PolicyEditorApi {
  const editor = useContext(PolicyEditorContext);
  if (!editor) throw new Error('useEditor outside PolicyEditorContext');
  return editor;
}

/** The value at `path` and a setter for it. The caller states the type the schema gives it. */
export function useValue<T>(path: string): [T, (value: T) => void] {
  const editor = useEditor();
  return [getIn(editor.settings, path) as T, (value: T) => editor.set(path, value)];
}
