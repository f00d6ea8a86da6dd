import { render } from 'preact';
import { PanelRoot } from '@/components/app/PanelRoot';
import { createExtensionHost } from '@/lib/panel/extension-host';

const root = document.getElementById('app');
if (root) render(<PanelRoot host={createExtensionHost()} />, root);
