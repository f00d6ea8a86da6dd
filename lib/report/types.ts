import type { ChromiumCorsError, FirefoxReason } from '../cors/vocabulary';
import type { Outcome, VerdictCause } from '../cors/verdict';
import type { Platform, SnippetLanguage } from '../fixes/plan';
import type { ObservedOutcome } from '../capture/captured';
import type { BodyEnd, ClientKind, CredentialsMode, ExchangeKind, OriginProbeKind, ReadyState } from '../model/record';
import type { Severity } from '../rules/define';

/**
 * The report: SSE Inspector's JSON contract (schemaVersion 1), shared by the CLI, the panel's
 * export and anything that consumes them. Documented by schema/report.schema.json; a field is
 * only ever added, never renamed or removed, within one schema version.
 */

export type HeaderPair = readonly [name: string, value: string];

export interface Report {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'sse-inspector'; readonly version: string };
  /** ISO 8601 time the report was built. */
  readonly generatedAt: string;
  readonly streams: readonly ReportStream[];
  /** Added within schemaVersion 1: true when secrets were replaced by `[redacted:…]` markers (lib/report/redact.ts). */
  readonly redacted?: boolean;
}

export interface ReportClient {
  readonly kind: ClientKind;
  readonly pageOrigin: string;
  /** Cookies and HTTP auth are sent cross-origin (withCredentials / credentials: 'include'). */
  readonly credentials: boolean;
  readonly credentialsMode: CredentialsMode;
  readonly method: string;
  /** Headers the page's code set, as [name, value] lines. */
  readonly headers: readonly HeaderPair[];
}

interface ReportVerdictBase {
  readonly outcome: Outcome;
  readonly cause: VerdictCause;
  readonly message: string | null;
  readonly console: readonly string[];
  readonly exchangeIndex: number | null;
  readonly attempt: number;
  readonly preflightAssumed: boolean;
  readonly requestOrigin: string | null;
}

export interface ReportChromiumVerdict extends ReportVerdictBase {
  readonly corsError: ChromiumCorsError | null;
  readonly failedParameter: string | null;
}

export interface ReportFirefoxVerdict extends ReportVerdictBase {
  readonly reason: FirefoxReason | null;
}

export interface ReportEvidence {
  readonly exchangeIndex: number | null;
  readonly side: 'request' | 'response' | null;
  readonly header: string | null;
  readonly value: string | null;
  readonly lineIndex: number | null;
  readonly note: string | null;
}

export interface ReportSnippet {
  readonly platform: Platform;
  readonly language: SnippetLanguage;
  readonly code: string;
}

export interface ReportFinding {
  readonly ruleId: string;
  readonly messageId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly data: Readonly<Record<string, string | number | boolean>>;
  readonly evidence: readonly ReportEvidence[];
  readonly fix: { readonly summary: string; readonly snippets: readonly ReportSnippet[] };
  readonly docsUrl: string;
}

export interface ReportExchange {
  readonly kind: ExchangeKind;
  readonly attempt: number;
  readonly method: string;
  readonly url: string;
  readonly status: number | null;
  readonly statusText: string;
  readonly httpVersion: string | null;
  readonly requestHeaders: readonly HeaderPair[];
  readonly responseHeaders: readonly HeaderPair[];
  readonly timing: {
    readonly startedAt: number;
    readonly responseAt: number | null;
    readonly firstByteAt: number | null;
    readonly endedAt: number | null;
  };
  readonly bodyBytes: number;
  readonly bodyEnd: BodyEnd;
  readonly error: string | null;
}

export interface ReportEvent {
  readonly at: number;
  readonly attempt: number;
  readonly type: string;
  /** The event's data, cut to the preview limit. */
  readonly data: string;
  /** Whether `data` was cut. */
  readonly dataTruncated: boolean;
  readonly id: string | null;
  readonly size: number;
}

export interface ReportStream {
  readonly id: string;
  readonly url: string;
  readonly client: ReportClient;
  readonly verdicts: { readonly chromium: ReportChromiumVerdict; readonly firefox: ReportFirefoxVerdict };
  /** Most severe first. */
  readonly findings: readonly ReportFinding[];
  readonly notApplicable: readonly string[];
  readonly exchanges: readonly ReportExchange[];
  /** Number of connection attempts seen (1 + reconnects). */
  readonly attempts: number;
  readonly readyStates: readonly { readonly at: number; readonly state: ReadyState; readonly attempt: number }[];
  readonly events: readonly ReportEvent[];
  /** Events left out of `events` by the report's cap. */
  readonly eventsOmitted: number;
  /** Events the capture itself dropped before the report was built. */
  readonly droppedEvents: number;
  readonly retryValues: readonly number[];
  readonly observedFor: number | null;
  /** Added within schemaVersion 1: answers to hostile Origin values (`check --probe-security`); empty when not probed. */
  readonly originProbes?: readonly ReportOriginProbe[];
  /** Added within schemaVersion 1: ISO time the stream was first seen, when the capture knows it. */
  readonly startedAt?: string;
  /** Added within schemaVersion 1: what the page experienced, when the stream was captured in a browser (the panel). */
  readonly observed?: ObservedOutcome;
  /** Present when the stream is an edited what-if scenario rather than a capture (the panel's What if tab). */
  readonly whatIf?: ReportWhatIf;
}

/** How an edited scenario differs from the capture it started from. */
export interface ReportWhatIf {
  /** Id of the captured stream the scenario was edited from. */
  readonly basedOn: string;
  /** What each browser did with the stream as captured, before the edits. */
  readonly captured: {
    readonly chromium: { readonly outcome: Outcome; readonly corsError: ChromiumCorsError | null };
    readonly firefox: { readonly outcome: Outcome; readonly reason: FirefoxReason | null };
  };
  /** Every change from the capture, one per edited field. */
  readonly edits: readonly {
    readonly field: 'pageOrigin' | 'client' | 'credentials' | 'requestHeaders' | 'body' | 'status' | 'responseHeaders' | 'exchange';
    /** `preflight`, `redirect-N` or `final` for exchange fields; null otherwise. */
    readonly exchange: string | null;
    readonly from: string | null;
    readonly to: string | null;
  }[];
  /** Changes to what the page opens (stream URL, fetch method); absent when there are none. */
  readonly requestEdits?: readonly { readonly field: 'url' | 'method'; readonly from: string; readonly to: string }[];
  /** Slots of exchanges the capture does not have because the browser never sent them (a fetch refused at its preflight): their lines are assumed. */
  readonly assumed?: readonly string[];
  /** Rule ids whose "Try this fix" was applied, in order. */
  readonly fixesApplied: readonly string[];
  /** What the scenario assumes the server does after the headers. */
  readonly body: 'streams' | 'silent' | 'ends' | 'breaks';
}

export interface ReportOriginProbe {
  readonly kind: OriginProbeKind;
  readonly origin: string;
  readonly status: number | null;
  readonly allowOrigin: string | null;
  readonly allowCredentials: string | null;
}
