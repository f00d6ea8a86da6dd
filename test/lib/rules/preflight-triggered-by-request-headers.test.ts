import { describe } from 'vitest';
import rule from '@/lib/rules/preflight-triggered-by-request-headers';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const PAGE = 'https://app.test';

/**
 * One finding per cause (method, Authorization, Last-Event-ID, other unsafe headers), in that
 * order, because each has a different way to avoid the preflight.
 */
describe('preflight-triggered-by-request-headers', () => {
  testRule(rule, {
    valid: [
      { name: 'EventSource never preflights, even with Last-Event-ID', record: stream({ requestHeaders: [['Last-Event-ID', '7']], acao: PAGE }) },
      { name: 'fetch with safelisted headers only', record: stream({ client: 'fetch', requestHeaders: [['Accept', 'text/event-stream'], ['Content-Type', 'text/plain']], acao: PAGE }) },
      { name: 'POST needs no preflight', record: stream({ client: 'fetch', method: 'POST', acao: PAGE }) },
      { name: 'same-origin fetch with custom headers', record: stream({ client: 'fetch', url: 'https://app.test/events', requestHeaders: [['X-API-Key', 'k']] }) },
    ],
    invalid: [
      {
        name: 'custom header',
        record: stream({ client: 'fetch', requestHeaders: [['X-API-Key', 'k']], acao: PAGE, preflight: { acao: PAGE, allowHeaders: 'X-API-Key' } }),
        findings: [{ messageId: 'custom-headers', data: { headers: 'x-api-key' }, severity: 'info', header: 'X-API-Key' }],
      },
      {
        name: 'Authorization',
        record: stream({ client: 'fetch', requestHeaders: [['Authorization', 'Bearer t']], acao: PAGE, preflight: { acao: PAGE, allowHeaders: 'Authorization' } }),
        findings: [{ messageId: 'authorization', severity: 'info', header: 'Authorization' }],
      },
      {
        name: 'fetch client setting Last-Event-ID itself (preflight not captured: still info)',
        record: stream({ client: 'fetch', requestHeaders: [['Last-Event-ID', '41']], acao: PAGE }),
        findings: [{ messageId: 'last-event-id', header: 'Last-Event-ID' }],
      },
      {
        name: 'non-simple method',
        record: stream({ client: 'fetch', method: 'PUT', acao: PAGE, preflight: { acao: PAGE, allowMethods: 'PUT' } }),
        findings: [{ messageId: 'method', data: { method: 'PUT' }, header: null }],
      },
      {
        name: 'every cause at once, each once; stays info although the preflight failed',
        record: stream({
          client: 'fetch',
          method: 'PATCH',
          requestHeaders: [['Authorization', 'Bearer t'], ['X-Client', 'web'], ['Content-Type', 'application/json'], ['Last-Event-ID', '3']],
          acao: PAGE,
          preflight: { status: 401, acao: PAGE },
        }),
        findings: [
          { messageId: 'method', data: { method: 'PATCH' }, severity: 'info' },
          { messageId: 'authorization', severity: 'info' },
          { messageId: 'last-event-id', severity: 'info' },
          { messageId: 'custom-headers', data: { headers: 'content-type, x-client' }, severity: 'info', header: 'Content-Type' },
        ],
      },
    ],
  });
});
