import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectToHost } from './bridge/index.js';
import { App } from './App.js';
import { HostContext, StoreContext } from './context.js';
import { bindStore } from './store/bind.js';
import { createIntakeStore } from './store/store.js';
import './styles.css';
import { pageMark } from './preview/start-marks.js';
import { startEarlyPreview } from './preview/early-preview.js';
import { rememberPick } from './store/remember-pick.js';
import { firstRenderWithSnapshot } from './first-render.js';

pageMark('boot');

const api = connectToHost();
// Before the store asks for the snapshot: the preview's request leaves first (early-preview.ts).
startEarlyPreview(api);
const store = createIntakeStore();
rememberPick(store);
bindStore(api, store);

const root = createRoot(document.getElementById('root')!);
const render = (): void =>
  root.render(
    <StrictMode>
      <HostContext.Provider value={api}>
        <StoreContext.Provider value={store}>
          <App />
        </StoreContext.Provider>
      </HostContext.Provider>
    </StrictMode>,
  );
firstRenderWithSnapshot(store, render);
