import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PLATFORMS, type Platform } from '../lib/fixes/plan';
import type { HeaderLine } from '../lib/model/headers';
import { isToken, trimHttpWhitespace } from '../lib/model/headers';
import type { ClientKind } from '../lib/model/record';
import { CliError, firstLine, UsageError } from './client/errors';
import { analyzeCommand } from './commands/analyze';
import { checkCommand, parsePageOrigin, type FailOn } from './commands/check';
import { OUTPUT_FORMATS, type OutputFormat } from './output';
import { toolVersion } from './version';

/**
 * The command line: `main(argv, io)` parses, runs one command and returns the exit code, so
 * tests call it with fake streams instead of spawning. Exit codes: 0 nothing at or above
 * --fail-on, 1 findings at or above it, 2 usage errors, unreachable hosts, malformed input.
 * Every user-caused error is one line on stderr; no stack trace reaches the user.
 */

export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

const USAGE = `Usage:
  sse-inspector check <url> [options]     connect like a browser page and explain the stream
  sse-inspector analyze <file> [options]  explain the event streams of a HAR file, or re-evaluate
                                          a report (JSON, as exported or edited by hand)
  sse-inspector --help | --version

check options:
  --origin <origin>        origin of the page that opens the stream (default: the URL's own origin)
  --client <kind>          eventsource (default) or fetch
  --credentials            withCredentials / credentials: 'include'
  -H, --header 'Name: v'   request header set by the page (repeatable; --client fetch only)
  --method <method>        request method (--client fetch only; default GET)
  --duration <seconds>     how long to watch the stream, reconnects included (default 5)
  --probe-security         also send hostile Origin values and report which ones are trusted

common options:
  --format <format>        text (default), json, markdown, html, sarif or har
  -o, --output <file>      write the report to this file instead of stdout
  --no-redact              keep Authorization, cookies, API keys and tokens as captured
                           (by default they become [redacted:<hash>] markers)
  --fail-on error|warning|none
                           exit 1 when a finding is at least this severe (default error)
  --platform <name>        server stack of the fix snippet in text, markdown and html (default express):
                           express, fastify, nextjs, nginx, caddy, apache, go, fastapi, django,
                           spring, aspnetcore (JSON output always carries all of them)
  --no-color               no colours (also when NO_COLOR is set or stdout is not a terminal)

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage or connection error.
`;

const OPTIONS = {
  origin: { type: 'string' },
  client: { type: 'string' },
  credentials: { type: 'boolean' },
  header: { type: 'string', short: 'H', multiple: true },
  method: { type: 'string' },
  duration: { type: 'string' },
  'probe-security': { type: 'boolean' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'no-redact': { type: 'boolean' },
  'fail-on': { type: 'string' },
  'no-color': { type: 'boolean' },
  platform: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const CHECK_ONLY = ['origin', 'client', 'credentials', 'header', 'method', 'duration', 'probe-security'] as const;
const MAX_DURATION_SECONDS = 3600;
/** How long `check` watches a stream unless --duration says otherwise. */
export const DEFAULT_DURATION_MS = 5000;

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
}

function parseHeader(input: string): HeaderLine {
  const colon = input.indexOf(':');
  const name = colon < 0 ? '' : input.slice(0, colon).trim();
  if (!isToken(name)) throw new UsageError(`--header must look like 'Name: value', got '${input}'`);
  const value = trimHttpWhitespace(input.slice(colon + 1));
    // Control characters cannot go on the wire (Node refuses them; fetch() throws on CR, LF, NUL).
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new UsageError(`--header ${name} has a control character in its value`);
  return [name, value];
}

function parseDuration(input: string | undefined): number {
  if (input === undefined) return DEFAULT_DURATION_MS;
  const seconds = Number(input);
  if (input.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_DURATION_SECONDS) {
    throw new UsageError(`--duration must be a number of seconds between 0 and ${MAX_DURATION_SECONDS}, got '${input}'`);
  }
  return Math.round(seconds * 1000);
}

function parseMethod(input: string | undefined, client: ClientKind): string {
  if (input === undefined) return 'GET';
  if (client !== 'fetch') throw new UsageError('--method needs --client fetch (EventSource always sends GET)');
  if (!isToken(input)) throw new UsageError(`--method is not a valid HTTP method: '${input}'`);
  if (['CONNECT', 'TRACE', 'TRACK'].includes(input.toUpperCase())) throw new UsageError(`fetch() refuses the ${input.toUpperCase()} method`);
  return input;
}

/** parseArgs' own messages are sentences with advice; the first one is the useful line. */
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? firstLine(error.message) : String(error);
  const sentence = message.split(/\.\s/, 1)[0] ?? message;
  return sentence.replace(/\.$/, '');
}

function useColor(io: CliIo, noColor: boolean): boolean {
  const envNoColor = io.env.NO_COLOR;
  return !noColor && io.stdout.isTTY === true && (envNoColor === undefined || envNoColor === '');
}

/** Writes the report to stdout or to --output, saying on stderr where it went and whether it holds secrets. */
async function deliver(text: string, output: string | null, redact: boolean, io: CliIo): Promise<void> {
  if (!redact) io.stderr.write('sse-inspector: warning: --no-redact: the report holds Authorization headers, cookies and tokens as captured\n');
  if (output === null) {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    const reason = code === 'ENOENT' ? 'no such directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : error instanceof Error ? firstLine(error.message) : 'cannot be written';
    throw new CliError(`cannot write ${output}: ${reason}`);
  }
  io.stderr.write(`sse-inspector: wrote ${output} (${Buffer.byteLength(text)} bytes)\n`);
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout.write(`${toolVersion()}\n`);
    return 0;
  }
  const [command, target, ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing command: check <url> or analyze <file>');
  if (command !== 'check' && command !== 'analyze') throw new UsageError(`unknown command '${command}'`);
  if (target === undefined) throw new UsageError(command === 'check' ? 'check needs a URL' : 'analyze needs a file');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);

  const format = oneOf<OutputFormat>('format', values.format, OUTPUT_FORMATS, 'text');
  const redact = values['no-redact'] !== true;
  if (values.output === '') throw new UsageError('--output needs a file name');
  const output = values.output ?? null;
  const failOn = oneOf<FailOn>('fail-on', values['fail-on'], ['error', 'warning', 'none'], 'error');
  const color = useColor(io, values['no-color'] === true);
  const platform = oneOf<Platform>('platform', values.platform, PLATFORMS, 'express');

  if (command === 'analyze') {
    const misplaced = CHECK_ONLY.find((name) => values[name] !== undefined);
    if (misplaced) throw new UsageError(`--${misplaced} is an option of check, not analyze`);
    const result = await analyzeCommand(target, { format, failOn, color: output === null && color, platform, redact });
    // analyze reports unreadable input as its one-line output with exit code 2.
    if (result.exitCode === 2) {
      io.stderr.write(result.output);
      return 2;
    }
    await deliver(result.output, output, redact, io);
    for (const note of result.notes ?? []) io.stderr.write(`sse-inspector: note: ${note}\n`);
    return result.exitCode;
  }

  const client = oneOf<ClientKind>('client', values.client, ['eventsource', 'fetch'], 'eventsource');
  const headers = (values.header ?? []).map(parseHeader);
  if (headers.length > 0 && client !== 'fetch') throw new UsageError('--header needs --client fetch (EventSource cannot set request headers)');
  const result = await checkCommand(target, {
    origin: values.origin === undefined ? null : parsePageOrigin(values.origin),
    client,
    credentials: values.credentials === true,
    headers,
    method: parseMethod(values.method, client),
    durationMs: parseDuration(values.duration),
    probeSecurity: values['probe-security'] === true,
    format,
    failOn,
    color: output === null && color,
    platform,
    redact,
  });
  await deliver(result.output, output, redact, io);
  for (const note of result.notes) io.stderr.write(`sse-inspector: note: ${note}\n`);
  return result.exitCode;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`sse-inspector: ${firstLine(error.message)}\n`);
      return error.exitCode;
    }
    // A bug of ours, still one line: the user can report it, and scripts see exit code 2.
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    io.stderr.write(`sse-inspector: internal error: ${message || 'unknown error'}\n`);
    return 2;
  }
}
