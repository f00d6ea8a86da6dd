import { render } from 'preact';
import { PlaceholderPanel } from '@/components/PlaceholderPanel';

const root = document.getElementById('app');
if (root) render(<PlaceholderPanel />, root);
