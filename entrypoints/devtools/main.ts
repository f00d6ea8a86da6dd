import { browser } from 'wxt/browser';

// The DevTools page lives as long as the inspected tab's DevTools window; it only registers the panel.
void browser.devtools.panels.create('SSE Inspector', '', '/devtools-panel.html');
