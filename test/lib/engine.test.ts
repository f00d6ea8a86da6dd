import { describe, expect, it } from 'vitest';
import { analyzeStream, analyzeStreams } from '@/lib/engine';
import { stream } from '@/lib/model/builders';
import { SEVERITY_RANK } from '@/lib/rules/define';
import { RULES } from '@/lib/rules';

describe('analyzeStream', () => {
  // Wildcard with credentials (an error) on a preflighted fetch (info): findings of two severities.
  const record = stream({
    client: 'fetch',
    credentials: true,
    requestHeaders: [['X-API-Key', 'k']],
    preflight: { acao: 'https://app.test', acac: 'true', allowHeaders: 'x-api-key' },
    acao: '*',
    acac: 'true',
  });
  const analysis = analyzeStream(record);

  it('lists findings most severe first, even when a milder rule comes first in the registry', () => {
    // cache-control-no-cache-missing (warning) is registered before charset-not-utf8 (error).
    const charset = analyzeStream(stream({ acao: '*', contentType: 'text/event-stream; charset=iso-8859-1' }));
    const ids = charset.findings.map((f) => f.ruleId);
    expect(ids.indexOf('charset-not-utf8')).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf('charset-not-utf8')).toBeLessThan(ids.indexOf('cache-control-no-cache-missing'));
  });

  it('keeps rule order within a severity', () => {
    const ranks = analysis.findings.map((f) => SEVERITY_RANK[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(new Set(analysis.findings.map((f) => f.severity))).toEqual(new Set(['error', 'info']));
    // Rules run in registry order; acao-wildcard-with-credentials (error) comes before the info rule.
    expect(analysis.findings[0]?.severity).toBe('error');
    const order = RULES.map((rule) => rule.id);
    for (const severity of ['error', 'warning', 'info'] as const) {
      const ids = analysis.findings.filter((f) => f.severity === severity).map((f) => order.indexOf(f.ruleId));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it('accounts for every rule: it either reported or said it does not apply', () => {
    const reported = new Set(analysis.findings.map((f) => f.ruleId));
    const quiet = RULES.filter((rule) => !reported.has(rule.id) && !analysis.notApplicable.includes(rule.id));
    // Quiet rules applied and found nothing; none is listed twice.
    expect(new Set(analysis.notApplicable).size).toBe(analysis.notApplicable.length);
    expect(reported.size + quiet.length + analysis.notApplicable.length).toBe(RULES.length);
  });

  it('gives every finding the effect in both browsers and a fix plan with the page origin', () => {
    for (const finding of analysis.findings) {
      expect(finding.effect).toEqual({ chromium: analysis.verdicts.chromium.outcome, firefox: analysis.verdicts.firefox.outcome });
      expect(finding.fix.plan.allowedOrigins).toEqual(['https://app.test']);
    }
  });

  it('analyzes the streams of one page together', () => {
    const analyses = analyzeStreams([record, stream({ id: 'stream-2', acao: '*' })]);
    expect(analyses.map((a) => a.record.id)).toEqual(['stream-1', 'stream-2']);
  });
});
