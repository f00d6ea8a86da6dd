import { render } from 'preact';
import { App } from '@/components/app/App';
import { createExtensionHost } from '@/lib/panel/extension-host';

const root = document.getElementById('app');
if (root) render(<App host={createExtensionHost()} />, root);
