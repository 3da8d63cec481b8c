import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { Snapshot } from '../../../app/contract/ui.js';
import { HostContext, StoreContext } from '../../../renderer/src/context.js';
import { createIntakeStore } from '../../../renderer/src/store/store.js';
import { FakeApi } from './fake-api.js';
import { snapshot as makeSnapshot } from './payloads.js';

/** Render `ui` with a fresh store (fed `snapshot`) and a FakeApi; `rerender` keeps both. */
export function renderWith(ui: ReactElement, snapshot: Snapshot = makeSnapshot()) {
  const api = new FakeApi(snapshot);
  const store = createIntakeStore();
  store.getState().applySnapshot(snapshot);
  const wrap = (el: ReactElement) => (
    <HostContext.Provider value={api}>
      <StoreContext.Provider value={store}>{el}</StoreContext.Provider>
    </HostContext.Provider>
  );
  const view = render(wrap(ui));
  return { api, store, ...view, rerender: (next: ReactElement) => view.rerender(wrap(next)) };
}
