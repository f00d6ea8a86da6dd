import { readdirSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '@/lib/rules';
import { RULE_DESCRIPTIONS } from '@/lib/rules/descriptions';

/** The catalogue's own promises: every rule file registered, tested, documented, and sorted. */
const RULES_DIR = join(__dirname, '../../../lib/rules');
const INFRASTRUCTURE = new Set(['define', 'context', 'descriptions', 'helpers', 'index', 'preconditions']);
const ruleFiles = readdirSync(RULES_DIR)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => basename(file, '.ts'))
  .filter((name) => !INFRASTRUCTURE.has(name));

describe('rule registry', () => {
  it('registers every rule file exactly once, under its file name, sorted by id', () => {
    const ids = RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect([...ids].sort()).toEqual([...ruleFiles].sort());
  });

  it('covers the catalogue issue 3 asks for', () => {
    const required = [
      'acao-missing', 'acao-mismatch', 'acao-multiple-values', 'acao-invalid-value', 'acao-wildcard-with-credentials',
      'acac-invalid', 'preflight-status-not-ok', 'preflight-redirect', 'preflight-method-not-allowed',
      'preflight-header-not-allowed', 'preflight-wildcard-with-credentials', 'preflight-authorization-only-by-wildcard',
      'preflight-triggered-by-request-headers', 'acao-missing-on-error-response', 'acao-missing-on-redirect',
      'redirect-null-origin', 'content-type-not-event-stream', 'charset-not-utf8', 'status-not-200',
      'content-length-on-stream', 'content-encoding-on-stream', 'cache-control-no-cache-missing', 'proxy-buffering',
      'vary-origin-missing', 'connection-header-on-http2', 'reconnect-loop', 'heartbeat-missing', 'retry-too-short',
      'token-in-query-string', 'connection-limit-per-host', 'origin-reflected-without-allowlist', 'null-origin-trusted',
      'origin-pattern-too-loose', 'origin-any-subdomain-trusted', 'origin-http-downgrade-trusted',
    ];
    const ids = new Set(RULES.map((rule) => rule.id));
    expect(required.filter((id) => !ids.has(id))).toEqual([]);
  });

  it.each(RULES.map((rule) => [rule.id, rule] as const))('%s is tested and documented', (id, rule) => {
    expect(existsSync(join(__dirname, `${id}.test.ts`))).toBe(true);
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.failureTitle.length).toBeGreaterThan(10);
    expect(RULE_DESCRIPTIONS[rule.id]?.length ?? 0).toBeGreaterThan(40);
    expect(rule.docsUrl).toMatch(/^https:\/\//);
    expect(['error', 'warning', 'info']).toContain(rule.severity);
    expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
  });
});

describe('rule descriptions', () => {
  it('describe exactly the registered rules', () => {
    expect(Object.keys(RULE_DESCRIPTIONS).sort()).toEqual(RULES.map((rule) => rule.id).sort());
  });
});
