import MarkdownIt from 'markdown-it';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHtml, formatMarkdown } from '@/lib/report/index';
import { launchChromium, type LaunchedBrowser } from '../browser-truth/browsers';
import { seriousViolations } from '../support/axe';
import { hostileReport, XSS_PAYLOADS } from '../support/hostile-corpus';
import { sampleReport } from '../lib/report/sample';

/**
 * The HTML report and the Markdown report (rendered to HTML by markdown-it, as a host that passes
 * raw HTML would and with its safe defaults) opened in real Chromium with every request intercepted and a trap for dialogs, console
 * lines and `window.__xss`: with the hostile corpus in every field, nothing runs and nothing is
 * fetched. Then axe-core on the HTML report in both colour schemes.
 */


interface Observation {
  /** Scripts that ran: dialogs, `XSS…` console lines, window.__xss. */
  readonly ran: string[];
  /** Every request the page tried to make (all aborted). */
  readonly requests: string[];
  readonly tags: string[];
  readonly attributes: string[];
  readonly hrefs: string[];
  readonly styles: string[];
  readonly text: string;
}

async function observe(chromium: LaunchedBrowser, markup: string, options: { bypassCsp: boolean }): Promise<Observation> {
  const page = await chromium.browser.newPage();
  const ran: string[] = [];
  const requests: string[] = [];
  try {
    await page.setBypassCSP(options.bypassCsp);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      requests.push(request.url());
      void request.abort();
    });
    page.on('dialog', (dialog) => {
      ran.push(`dialog ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.text().startsWith('XSS')) ran.push(`console ${message.text()}`);
    });
    let navigated = false;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url() !== 'about:blank') navigated = true;
    });
    await page.setContent(markup, { waitUntil: 'load' });
    // Give injected handlers every chance: hover and focus everything, open every <details>,
    // then wait two frames so autofocus, toggle and load handlers have been dispatched.
    let found;
    try {
      await page.evaluate(async () => {
        for (const element of document.querySelectorAll<HTMLElement>('body *')) {
          element.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
          element.focus?.();
          if (element instanceof HTMLDetailsElement) element.open = true;
        }
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      });
      found = await page.evaluate(() => {
        const all = [...document.querySelectorAll('*')];
        return {
          xss: (window as unknown as { __xss?: unknown }).__xss,
          tags: [...new Set(all.map((e) => e.tagName.toLowerCase()))],
          attributes: [...new Set(all.flatMap((e) => e.getAttributeNames()))],
          hrefs: [...document.querySelectorAll('[href]')].map((e) => e.getAttribute('href') ?? ''),
          styles: [...document.querySelectorAll('[style]')].map((e) => e.getAttribute('style') ?? ''),
          text: document.body?.textContent ?? '',
        };
      });
    } catch (error) {
      // Only a page that navigated itself away (meta refresh, a script) loses its context.
      if (!(error instanceof Error && /context was destroyed/.test(error.message))) throw error;
      ran.push('the page navigated away');
      return { ran, requests, tags: [], attributes: [], hrefs: [], styles: [], text: '' };
    }
    if (found.xss !== undefined) ran.push(`window.__xss = ${String(found.xss)}`);
    if (navigated) ran.push('the page navigated away');
    return { ran, requests, tags: found.tags, attributes: found.attributes, hrefs: found.hrefs, styles: found.styles, text: found.text };
  } finally {
    await page.close();
  }
}

/**
 * Two markdown-it configurations: the worst case, a host that passes raw HTML through and turns
 * bare URLs into links (what a GFM renderer does before its sanitizer), and markdown-it's safe
 * default (raw HTML escaped). markdown-it refuses javascript:, vbscript:, file: and most data:
 * links in both; raw HTML is the way in.
 */
const MARKDOWN_RENDERERS = {
  'raw HTML allowed (html, linkify)': new MarkdownIt({ html: true, linkify: true }),
  'markdown-it defaults': new MarkdownIt(),
} as const;
type MarkdownRendererName = keyof typeof MARKDOWN_RENDERERS;

const markdownPage = (markdown: string, renderer: MarkdownRendererName) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Markdown</title></head><body>${MARKDOWN_RENDERERS[renderer].render(markdown)}</body></html>`;

const HTML_REPORT_TAGS = ['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'main', 'section', 'h1', 'h2', 'h3', 'h4', 'p', 'strong', 'code', 'span', 'div', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'a', 'pre', 'details', 'summary'];
const HTML_REPORT_ATTRIBUTES = ['lang', 'charset', 'http-equiv', 'content', 'name', 'class', 'id', 'href', 'rel', 'aria-label', 'aria-labelledby', 'scope', 'colspan', 'tabindex', 'role', 'style', 'open'];
// `strong`: the export's own `**Fix:**` labels (the previous local renderer left emphasis as text).
const MARKDOWN_TAGS = ['html', 'head', 'meta', 'title', 'body', 'h1', 'h2', 'h3', 'h4', 'p', 'strong', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'a', 'blockquote', 'details', 'summary'];
// `open` is set by observe() itself, to fire any toggle handler; `style` is markdown-it's table
// column alignment (`text-align:right`), checked below.
const MARKDOWN_ATTRIBUTES = ['lang', 'charset', 'href', 'class', 'open', 'style'];

describe('exported reports in real Chromium', () => {
  let chromium: LaunchedBrowser;

  beforeAll(async () => {
    chromium = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await chromium?.close();
  });

  describe('the trap (controls: each must catch something, or the tests below prove nothing)', () => {
    it('catches the corpus when it is pasted into a page unescaped', async () => {
      const seen = await observe(chromium, `<!doctype html><html><body>${XSS_PAYLOADS.join('\n')}</body></html>`, { bypassCsp: true });
      expect(seen.ran.length).toBeGreaterThan(0);
      expect(seen.requests.some((url) => url.startsWith('http://127.0.0.1:9/'))).toBe(true);
    });

    it('catches the corpus written into Markdown unescaped, rendered with raw HTML allowed: scripts run, requests go out', async () => {
      const seen = await observe(chromium, markdownPage(XSS_PAYLOADS.join('\n\n'), 'raw HTML allowed (html, linkify)'), { bypassCsp: true });
      expect(seen.ran.length).toBeGreaterThan(0);
      expect(seen.requests.length).toBeGreaterThan(0);
    });

    it('catches the corpus written into Markdown unescaped, rendered with markdown-it defaults: its images are fetched', async () => {
      const seen = await observe(chromium, markdownPage(XSS_PAYLOADS.join('\n\n'), 'markdown-it defaults'), { bypassCsp: true });
      expect(seen.requests).toContain('http://127.0.0.1:9/md-image.png');
    });
  });

  describe('the HTML report of a hostile capture', () => {
    const page = formatHtml(hostileReport(), { redact: false });

    for (const bypassCsp of [true, false]) {
      it(`runs nothing and fetches nothing ${bypassCsp ? 'even with its Content-Security-Policy ignored' : 'with its Content-Security-Policy'}`, async () => {
        const seen = await observe(chromium, page, { bypassCsp });
        expect(seen.ran).toEqual([]);
        expect(seen.requests).toEqual([]);
        expect(seen.tags.filter((tag) => !HTML_REPORT_TAGS.includes(tag))).toEqual([]);
        expect(seen.attributes.filter((name) => !HTML_REPORT_ATTRIBUTES.includes(name))).toEqual([]);
        expect(seen.hrefs.filter((href) => !/^(#stream-\d+|https?:\/\/)/.test(href))).toEqual([]);
        expect(seen.styles.filter((style) => !/^left: [\d.]+%; width: [\d.]+%$/.test(style))).toEqual([]);
        // The payloads are there, as text.
        expect(seen.text).toContain('<script>window.__xss=1;console.log("XSS script")</script>');
        expect(seen.text).toContain('<svg onload="window.__xss=3">');
        expect(seen.text).not.toContain('\u202E');
        expect(seen.text).toContain('\\u{202e}');
      });
    }
  });

  for (const renderer of Object.keys(MARKDOWN_RENDERERS) as MarkdownRendererName[]) {
    it(`the Markdown report of a hostile capture, rendered by markdown-it (${renderer}), runs nothing and fetches nothing`, async () => {
      const seen = await observe(chromium, markdownPage(formatMarkdown(hostileReport(), { redact: false }), renderer), { bypassCsp: true });
      expect(seen.ran).toEqual([]);
      expect(seen.requests).toEqual([]);
      expect(seen.tags.filter((tag) => !MARKDOWN_TAGS.includes(tag))).toEqual([]);
      expect(seen.attributes.filter((name) => !MARKDOWN_ATTRIBUTES.includes(name))).toEqual([]);
      expect(seen.hrefs.filter((href) => !/^https?:\/\//.test(href))).toEqual([]);
      expect(seen.styles.filter((style) => !/^text-align:(left|right|center)$/.test(style))).toEqual([]);
      expect(seen.text).toContain('<script>window.__xss=1;console.log("XSS script")</script>');
      expect(seen.text).toContain('[click me](javascript:window.__xss=17)');
    });
  }

  describe('axe-core on the HTML report', () => {
    for (const scheme of ['light', 'dark'] as const) {
      it(`finds no serious or critical violation in the ${scheme} scheme`, async () => {
        const page: Page = await chromium.browser.newPage();
        try {
          await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
          // The report's own CSP forbids scripts, axe included.
          await page.setBypassCSP(true);
          await page.setContent(formatHtml(sampleReport()), { waitUntil: 'load' });
          await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
          const serious = await seriousViolations(page, `HTML report, ${scheme}`);
          expect(serious).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  });
});
