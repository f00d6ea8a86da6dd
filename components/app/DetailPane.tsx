import { useState } from 'preact/hooks';
import { Tabs, type TabSpec } from '../controls/Tabs';
import { DiagnosisTab } from '../diagnosis/DiagnosisTab';
import { HeadersTab } from '../headers/HeadersTab';
import { MessagesTab } from '../messages/MessagesTab';
import { TimelineTab } from '../timeline/TimelineTab';
import { ValidateTab } from '../validate/ValidateTab';
import { eventCount } from '@/lib/panel/selectors';
import { loadWhatIfEditor } from '@/lib/panel/whatif-store';
import { ShowDetailTab, type DetailTab } from './detail-tab';
import { lazyComponent } from './lazy';
import { usePanel } from './store-context';

// The What if editor (lib/whatif and its components) loads when its tab is first opened.
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
