import type { Browser, Page } from 'puppeteer-core';
import type { ChromiumCorsError, FirefoxReason } from '@/lib/cors/vocabulary';
import { firefoxReasonOf } from './firefox-console';
import { observeInPage, observedOutcome, type ObservedOutcome, type PageObservation, type Scenario } from './observe';

/**
 * Drives one real browser through truth cases on a pool of tabs and reports, per case, what the
 * browser did and said. Every case URL carries a unique token, which is how network events and
 * console lines are tied back to their case, whatever tab or moment they arrive in.
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

interface Collected {
  corsErrors: { corsError: ChromiumCorsError; failedParameter: string }[];
  console: string[];
}

const TOKEN = /sse-case=([a-z0-9-]+)/;

export abstract class BrowserDriver {
  protected readonly collected = new Map<string, Collected>();
  private lastActivity = Date.now();

  constructor(protected readonly browser: Browser, private readonly pageUrl: string) {}

  protected bucket(token: string): Collected {
    let bucket = this.collected.get(token);
    if (!bucket) {
      bucket = { corsErrors: [], console: [] };
      this.collected.set(token, bucket);
    }
    this.lastActivity = Date.now();
    return bucket;
  }

  protected tokenIn(text: string | undefined): string | null {
    return text ? (TOKEN.exec(text)?.[1] ?? null) : null;
  }

  protected abstract instrument(page: Page): Promise<void>;

  /** Runs all cases, `tabs` at a time (HTTP/1.1 allows 6 connections per host per profile). */
  async run(cases: readonly TruthCase[], tabs: number): Promise<Map<string, BrowserObservation>> {
    const seen = new Map<string, PageObservation>();
    const queue = [...cases];
    const worker = async () => {
      const page = await this.browser.newPage();
      await this.instrument(page);
      await page.goto(this.pageUrl);
      for (let next = queue.shift(); next; next = queue.shift()) {
        const c = next;
        seen.set(c.token, await page.evaluate(observeInPage, c.url, c.scenario, c.windowMs));
      }
      await page.close();
    };
    await Promise.all(Array.from({ length: tabs }, worker));
    await this.quiesce();
    const results = new Map<string, BrowserObservation>();
    for (const c of cases) {
      const page = seen.get(c.token) as PageObservation;
      const bucket = this.collected.get(c.token) ?? { corsErrors: [], console: [] };
      results.set(c.token, this.conclude(c, page, bucket));
    }
    return results;
  }

  protected abstract conclude(c: TruthCase, page: PageObservation, collected: Collected): BrowserObservation;

  /** Console lines of the last cases may trail their page-side end: wait until the log is quiet. */
  private async quiesce(): Promise<void> {
    const quietFor = 400;
    const deadline = Date.now() + 5000;
    while (Date.now() - this.lastActivity < quietFor && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export class ChromiumDriver extends BrowserDriver {
  protected async instrument(page: Page): Promise<void> {
    const cdp = await page.createCDPSession();
    const tokenOfRequest = new Map<string, string>();
    // Redirects keep their requestId, so the first URL of a request names its case.
    cdp.on('Network.requestWillBeSent', (event) => {
      const token = this.tokenIn(event.request.url);
      if (token && !tokenOfRequest.has(event.requestId)) tokenOfRequest.set(event.requestId, token);
    });
    cdp.on('Network.loadingFailed', (event) => {
      const token = tokenOfRequest.get(event.requestId);
      const status = event.corsErrorStatus;
      if (token && status) this.bucket(token).corsErrors.push({ corsError: status.corsError as ChromiumCorsError, failedParameter: status.failedParameter });
    });
    cdp.on('Log.entryAdded', ({ entry }) => {
      const token = this.tokenIn(entry.url) ?? this.tokenIn(entry.text);
      if (token) this.bucket(token).console.push(entry.text);
    });
    await cdp.send('Network.enable');
    await cdp.send('Log.enable');
  }

  protected conclude(c: TruthCase, page: PageObservation, collected: Collected): BrowserObservation {
    const cors = collected.corsErrors[0] ?? null;
    return {
      outcome: observedOutcome(c.scenario, page, cors !== null),
      corsError: cors?.corsError ?? null,
      failedParameter: cors?.failedParameter ?? null,
      reason: null,
      console: collected.console,
      page,
    };
  }
}

export class FirefoxDriver extends BrowserDriver {
  protected async instrument(page: Page): Promise<void> {
    // Over WebDriver BiDi, Firefox's CORS and EventSource errors arrive as page errors.
    page.on('pageerror', (error) => {
      const text = error instanceof Error ? error.message : String(error);
      const token = this.tokenIn(text);
      if (token) this.bucket(token).console.push(text);
    });
  }

  protected conclude(c: TruthCase, page: PageObservation, collected: Collected): BrowserObservation {
    const reason = collected.console.map(firefoxReasonOf).find((r) => r !== null) ?? null;
    const corsBlocked = reason !== null && reason !== 'CORSDidNotSucceed';
    return {
      outcome: observedOutcome(c.scenario, page, corsBlocked),
      corsError: null,
      failedParameter: null,
      reason,
      console: collected.console,
      page,
    };
  }
}
