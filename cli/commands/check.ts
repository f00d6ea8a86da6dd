import { analyzeStream } from '../../lib/engine';
import type { Platform } from '../../lib/fixes/plan';
import type { HeaderList } from '../../lib/model/headers';
import type { ClientKind } from '../../lib/model/record';
import { buildReport, highestSeverity } from '../../lib/report/index';
import { SEVERITY_RANK, type Severity } from '../../lib/rules/define';
import { captureStream, type CaptureLimits } from '../client/capture';
import { CliError } from '../client/errors';
import { UsageError } from '../client/errors';
import { renderReport, type OutputFormat } from '../output';
import { toolVersion } from '../version';

/**
 * `sse-inspector check <url>`: connects like a browser page at --origin would, then explains
 * what Chromium and Firefox make of the stream. Exit codes: 0 nothing at or above --fail-on,
 * 1 findings at or above it; unreachable hosts and hostile servers throw a CliError (exit 2).
 */

export type FailOn = 'error' | 'warning' | 'none';

export interface CheckOptions {
  /** Serialized page origin; null means the stream's own origin (a same-origin page). */
  readonly origin: string | null;
  readonly client: ClientKind;
  readonly credentials: boolean;
  readonly headers: HeaderList;
  readonly method: string;
  readonly durationMs: number;
  readonly probeSecurity: boolean;
  readonly format: OutputFormat;
  readonly failOn: FailOn;
  readonly color: boolean;
  readonly platform?: Platform;
  /** Replace secrets by markers (default true). */
  readonly redact?: boolean;
  readonly redactionSalt?: string;
  readonly toolVersion?: string;
  readonly generatedAt?: string;
  readonly limits?: Partial<CaptureLimits>;
}

export interface CheckResult {
  readonly output: string;
  readonly exitCode: number;
  /** One-line notes for stderr (caps that were reached while reading). */
  readonly notes: readonly string[];
}

/** The stream URL, or a usage error: only http(s), and no user:password (fetch() rejects those). */
export function parseStreamUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UsageError(`not a valid URL: ${input}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`only http: and https: URLs can be checked, got ${url.protocol}`);
  if (url.username || url.password) throw new UsageError('URLs with user:password are not supported; send credentials with --client fetch -H instead');
  return url;
}

/** The page origin as a browser serializes it; `null` is allowed (sandboxed iframes send it). */
export function parsePageOrigin(input: string): string {
  if (input === 'null') return 'null';
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UsageError(`--origin is not a valid origin: ${input} (expected e.g. https://app.example)`);
  }
  if (url.origin === 'null' || url.pathname.length > 1 || url.search || url.hash || url.username || url.password) {
    throw new UsageError(`--origin must be a bare origin such as https://app.example, got ${input}`);
  }
  return url.origin;
}

export function exitCodeFor(highest: Severity | null, failOn: FailOn): number {
  if (failOn === 'none' || highest === null) return 0;
  return SEVERITY_RANK[highest] >= SEVERITY_RANK[failOn] ? 1 : 0;
}

export async function checkCommand(target: string, options: CheckOptions): Promise<CheckResult> {
  const url = parseStreamUrl(target);
  const version = options.toolVersion ?? toolVersion();
  // The record's times count from here; the report says when that was (HAR needs wall-clock times).
  const startedAt = Date.now();
  const { record, notes, unreachable } = await captureStream({
    url: url.href,
    pageOrigin: options.origin ?? url.origin,
    client: options.client,
    credentials: options.credentials,
    method: options.method,
    headers: options.headers,
    durationMs: options.durationMs,
    probeSecurity: options.probeSecurity,
    userAgent: `sse-inspector/${version}`,
    ...(options.limits ? { limits: options.limits } : {}),
    stopWhenUnreachable: true,
  });
  if (unreachable !== null) throw new CliError(unreachable);
  const report = buildReport([{ analysis: analyzeStream(record), startedAt }], {
    toolVersion: version,
    ...(options.generatedAt === undefined ? {} : { generatedAt: options.generatedAt }),
  });
  const exitCode = exitCodeFor(highestSeverity(report), options.failOn);
  return { output: renderReport(report, options), exitCode, notes };
}
