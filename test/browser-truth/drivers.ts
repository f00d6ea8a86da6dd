import type { Browser, Page } from 'puppeteer-core';
import type { ChromiumCorsError, FirefoxReason } from '@/lib/cors/vocabulary';
import { firefoxReasonOf } from './firefox-console';
import { observeInPage, observedOutcome, type ObservedOutcome, type PageObservation, type Scenario } from './observe';

/**
 * Drives one real browser through truth cases, a few at a time, and reports per case what the
 * browser did and said. Chromium gets a fresh browser context per case, so everything its
 * DevTools protocol session reports belongs to that case. Firefox (WebDriver BiDi) reuses tabs,
 * so its console lines are tied to cases by a token every case URL carries.
 */
export interface TruthCase {
  readonly token: string;
  readonly url: string;
  readonly scenario: Scenario;
  readonly windowMs: number;
}

export interface BrowserObservation {
  readonly outcome: ObservedOutcome;
  readonly corsError: ChromiumCorsError | null;
  readonly failedParameter: string | null;
  readonly reason: FirefoxReason | null;
  readonly console: readonly string[];
  readonly page: PageObservation;
}

interface CaseRun {
  readonly page: Page;
  /** Resolves once the browser has reported everything about the case it is going to. */
  settled(observation: PageObservation): Promise<void>;
  conclude(observation: PageObservation): BrowserObservation;
  dispose(): Promise<void>;
}

const TOKEN = /sse-case=([a-z0-9-]+)/;
const tokenIn = (text: string | undefined): string | null => (text ? (TOKEN.exec(text)?.[1] ?? null) : null);

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}

export abstract class BrowserDriver {
  constructor(
    protected readonly browser: Browser,
    private readonly pageUrl: string,
  ) {}

  protected abstract start(c: TruthCase): Promise<CaseRun>;

  async run(cases: readonly TruthCase[], tabs: number): Promise<Map<string, BrowserObservation>> {
    const results = new Map<string, BrowserObservation>();
    const queue = [...cases];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const run = await this.start(c);
        try {
          await run.page.goto(this.pageUrl);
          const observation = await run.page.evaluate(observeInPage, c.url, c.scenario, c.windowMs);
          await run.settled(observation);
          results.set(c.token, run.conclude(observation));
        } finally {
          await run.dispose();
        }
      }
    };
    await Promise.all(Array.from({ length: tabs }, worker));
    return results;
  }
}

export class ChromiumDriver extends BrowserDriver {
  // A fresh browser context per case: Chromium keeps the socket of a CORS-blocked stream for a
  // while, and six of them would queue the next case behind the per-host connection limit.
  protected async start(c: TruthCase): Promise<CaseRun> {
    const context = await this.browser.createBrowserContext();
    const page = await context.newPage();
    const cdp = await page.createCDPSession();
    const open = new Set<string>();
    const corsErrors: { corsError: ChromiumCorsError; failedParameter: string }[] = [];
    const lines: string[] = [];
    cdp.on('Network.requestWillBeSent', (event) => {
      // Redirects keep their requestId, so the first URL of a request names its case.
      if (tokenIn(event.request.url) === c.token) open.add(event.requestId);
    });
    const ended = (requestId: string) => open.delete(requestId);
    cdp.on('Network.loadingFinished', (event) => ended(event.requestId));
    cdp.on('Network.loadingFailed', (event) => {
      if (!open.has(event.requestId)) return;
      ended(event.requestId);
      if (event.corsErrorStatus) corsErrors.push({ corsError: event.corsErrorStatus.corsError as ChromiumCorsError, failedParameter: event.corsErrorStatus.failedParameter });
    });
    cdp.on('Log.entryAdded', ({ entry }) => {
      // The page itself is not part of the case (its favicon 404s, for one).
      if (!entry.url?.endsWith('/favicon.ico')) lines.push(entry.text);
    });
    await cdp.send('Network.enable');
    await cdp.send('Log.enable');
    return {
      page,
      // The protocol reports a request's failure (with its CORS error) after the page saw it fail.
      settled: () => until(() => open.size === 0, 3000),
      conclude: (observation) => {
        const cors = corsErrors[0] ?? null;
        return {
          outcome: observedOutcome(c.scenario, observation, cors !== null),
          corsError: cors?.corsError ?? null,
          failedParameter: cors?.failedParameter ?? null,
          reason: null,
          console: lines,
          page: observation,
        };
      },
      dispose: () => context.close(),
    };
  }
}

export class FirefoxDriver extends BrowserDriver {
  private readonly idle: Page[] = [];
  private opening: Promise<unknown> = Promise.resolve();
  private readonly lines = new Map<string, { text: string; at: number }[]>();
  private readonly listening = new WeakSet<Page>();

  // Firefox over BiDi fails when tabs are created and closed concurrently, so tabs are opened one
  // at a time and reused for later cases.
  private async tab(): Promise<Page> {
    const idle = this.idle.pop();
    if (idle) return idle;
    const opened = this.opening.then(() => this.browser.newPage());
    this.opening = opened.catch(() => undefined);
    const page = await opened;
    if (!this.listening.has(page)) {
      this.listening.add(page);
      // Over WebDriver BiDi, Firefox's CORS and EventSource errors arrive as page errors.
      page.on('pageerror', (error) => {
        const text = error instanceof Error ? error.message : String(error);
        const token = tokenIn(text);
        if (token) this.lines.set(token, [...(this.lines.get(token) ?? []), { text, at: Date.now() }]);
      });
    }
    return page;
  }

  protected async start(c: TruthCase): Promise<CaseRun> {
    const page = await this.tab();
    let endedAt = 0;
    return {
      page,
      settled: async (observation) => {
        endedAt = Date.now();
        // Console lines travel from the network process apart from the page's events: when the
        // page saw a failure, give its line a moment to arrive.
        const failed = observation.readyStates.at(-1) === 2 || observation.fetchError !== null;
        if (failed) await until(() => (this.lines.get(c.token) ?? []).length > 0, 1000);
      },
      conclude: (observation) => {
        // When the window ran out, closing the still-pending request makes Firefox log
        // "CORS request did not succeed": that line is the harness's doing, not the server's.
        const lines = (this.lines.get(c.token) ?? []).filter((l) => !observation.timedOut || l.at <= endedAt).map((l) => l.text);
        const reason = lines.map(firefoxReasonOf).find((r) => r !== null) ?? null;
        const corsBlocked = reason !== null && reason !== 'CORSDidNotSucceed';
        return { outcome: observedOutcome(c.scenario, observation, corsBlocked), corsError: null, failedParameter: null, reason, console: lines, page: observation };
      },
      dispose: async () => void this.idle.push(page),
    };
  }
}
