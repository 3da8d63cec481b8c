import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { IntakeApi } from '../../app/contract/index.js';
import type { IntakeState, IntakeStore } from './store/store.js';

/** The host (Electron preload or WebSocket): for requests and media. */
export const HostContext = createContext<IntakeApi | null>(null);
/** The app's store; a context rather than a module singleton so tests render with their own. */
export const StoreContext = createContext<IntakeStore | null>(null);

export function useHost(): IntakeApi {
  const api = useContext(HostContext);
  if (!api) throw new Error('useHost outside HostContext');
  return api;
}

export function useStoreApi(): IntakeStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useIntake outside StoreContext');
  return store;
}

/** Select from the app's store (selectors at module level, returning primitives or stable references). */
export function useIntake<T>(selector: (s: IntakeState) => T): T {
  return useStore(useStoreApi(), selector);
}
