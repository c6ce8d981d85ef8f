/**
 * An in-memory stand-in for the store's shared values, for what uses only those (sessions, Slack's tracker and
 * pacing); several app instances in a test may share one. Values are cloned in and out, as a real store's are.
 */
import type { Store } from '../../packages/core/src/store/types.ts';

export function memoryKeyValue(): Pick<Store, 'getValue' | 'setValue' | 'setValueIfAbsent' | 'deleteValue'> & {
  data: Map<string, unknown>;
} {
  const data = new Map<string, unknown>();
  return {
    data,
    getValue: async (key) => structuredClone(data.get(key)),
    setValue: async (key, value) => void data.set(key, structuredClone(value)),
    setValueIfAbsent: async (key, value) => {
      if (data.has(key)) return false;
      data.set(key, structuredClone(value));
      return true;
    },
    deleteValue: async (key) => void data.delete(key),
  };
}
