import { useState } from 'react';
import { CapturePanel } from './capture/CapturePanel.js';
import { useIntake } from './context.js';
import { selectStale } from './store/selectors.js';
import { Header, LinkBanner } from './layout/Header.js';
import { LogStrip } from './logs/LogStrip.js';
import { PreviewPanel } from './preview/PreviewPanel.js';
import { ProtocolHealthTabs } from './health/ProtocolHealthTabs.js';
import { RecordingPanel } from './recording/RecordingPanel.js';
import { SettingsDialog } from './settings/SettingsDialog.js';
import { StreamList } from './streams/StreamList.js';
import { TimelinePanel } from './timeline/TimelinePanel.js';

/**
 * The app's layout: the header; streams on the left, the preview in the
 * centre with capture and recording at its right; the protocol flow and the
 * timeline below; the log strip at the bottom. Every area has a fixed track
 * in the grid, so values arriving or changing never move a panel.
 */
export function App() {
  const [settingsOpen, setSettingsOpen] = useState(false);
  // The host is out of reach: the panels keep the last known state, greyed (styles.css .is-stale), under the banner that says so.
  const stale = useIntake(selectStale);
  return (
    <div className={stale ? 'app is-stale' : 'app'} data-stale={stale ? 'true' : undefined}>
      <Header onSettings={() => setSettingsOpen(true)} />
      <LinkBanner />
      <main className="app-main">
        <div className="area-streams">
          <StreamList />
        </div>
        <div className="area-preview">
          <PreviewPanel />
        </div>
        <div className="area-side">
          <CapturePanel />
          <RecordingPanel />
        </div>
        <div className="area-bottom">
          <div className="area-protocol">
            <ProtocolHealthTabs />
          </div>
          <div className="area-timeline">
            <TimelinePanel />
          </div>
        </div>
      </main>
      <LogStrip />
      <SettingsDialog open={settingsOpen} onClose={() => setSettingsOpen(false)} />
    </div>
  );
}
