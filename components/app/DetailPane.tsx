import { useState } from 'preact/hooks';
import { Tabs, type TabSpec } from '../controls/Tabs';
import { DiagnosisTab } from '../diagnosis/DiagnosisTab';
import { eventCount } from '@/lib/panel/selectors';
import { loadWhatIfEditor } from '@/lib/panel/whatif-store';
import { ShowDetailTab, type DetailTab } from './detail-tab';
import { lazyComponent } from './lazy';
import { usePanel } from './store-context';

// Only the Diagnosis, shown when the panel opens, comes with the panel: each other tab's code
// loads when that tab is first opened, which keeps the panel's initial JS small.
const HeadersTab = lazyComponent('Headers tab', () => import('../headers/HeadersTab').then((module) => module.HeadersTab));
const TimelineTab = lazyComponent('Timeline tab', () => import('../timeline/TimelineTab').then((module) => module.TimelineTab));
const MessagesTab = lazyComponent('Messages tab', () => import('../messages/MessagesTab').then((module) => module.MessagesTab));
const ValidateTab = lazyComponent('Validate tab', () => import('../validate/ValidateTab').then((module) => module.ValidateTab));
// The What if editor also needs lib/whatif's reducer, which "Try this fix" may have loaded already.
const WhatIfTab = lazyComponent('What if editor', () =>
  Promise.all([import('../whatif/WhatIfTab'), loadWhatIfEditor()]).then(([module]) => module.WhatIfTab),
);

/** The selected stream's tabs; the chosen tab stays when another stream is selected. */
export function DetailPane() {
  const { store } = usePanel();
  const [tab, setTab] = useState<DetailTab>('diagnosis');
  const stream = store.selected.value;
  if (!stream) {
    return (
      <section class="detail detail-empty" aria-label="Stream details">
        <p>Select a stream to see its diagnosis.</p>
      </section>
    );
  }
  const tabs: TabSpec<DetailTab>[] = [
    { id: 'diagnosis', label: 'Diagnosis', count: stream.analysis.findings.length },
    { id: 'headers', label: 'Headers', count: stream.record.exchanges.length },
    { id: 'timeline', label: 'Timeline' },
    { id: 'messages', label: 'Messages', count: eventCount(stream) },
    { id: 'validate', label: 'Validate' },
    { id: 'whatif', label: 'What if' },
  ];
  return (
    <section class="detail" aria-label="Stream details" data-testid="detail">
      <ShowDetailTab.Provider value={setTab}>
        <Tabs<DetailTab> label="Stream details" tabs={tabs} selected={tab} onSelect={(id) => setTab(id)}>
          {/* Keyed by stream: a search or a selected message belongs to the stream it was made on. */}
          {tab === 'diagnosis' ? <DiagnosisTab key={stream.key} stream={stream} />
          : tab === 'headers' ? <HeadersTab key={stream.key} stream={stream} />
          : tab === 'timeline' ? <TimelineTab key={stream.key} stream={stream} />
          : tab === 'messages' ? <MessagesTab key={stream.key} stream={stream} />
          : tab === 'validate' ? <ValidateTab key={stream.key} stream={stream} />
          : <WhatIfTab key={stream.key} stream={stream} />}
        </Tabs>
      </ShowDetailTab.Provider>
    </section>
  );
}
