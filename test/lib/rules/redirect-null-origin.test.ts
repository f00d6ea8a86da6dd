import { describe } from 'vitest';
import rule from '@/lib/rules/redirect-null-origin';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const page = 'https://app.test';
const hop = (location: string) => ({ location, acao: page });

describe('redirect-null-origin', () => {
  testRule(rule, {
    valid: [
      { name: 'tainted request answered *', record: stream({ redirects: [hop('https://cdn.test/events')], acao: '*' }) },
      { name: 'tainted request answered null', record: stream({ redirects: [hop('https://cdn.test/events')], acao: 'null' }) },
      { name: 'hop within one foreign origin keeps the origin', record: stream({ redirects: [hop('https://api.test/v2/events')], acao: page }) },
      { name: 'same-origin to cross-origin keeps the origin', record: stream({ url: 'https://app.test/events', redirects: [{ location: 'https://api.test/events' }], acao: page }) },
      { name: 'no redirect: a plain mismatch', record: stream({ acao: 'https://app.test/' }) },
      { name: 'blocked at the redirect hop itself', record: stream({ redirects: [{ location: 'https://cdn.test/events' }], acao: page }) },
    ],
    invalid: [
      {
        name: 'A -> B answered with the page origin',
        record: stream({ redirects: [hop('https://cdn.test/events')], acao: page }),
        findings: [
          {
            messageId: 'tainted-origin',
            data: { value: page, hops: 'https://api.test/events -> https://cdn.test/events', url: 'https://cdn.test/events', pageOrigin: page, credentials: false },
            severity: 'error',
            header: 'Access-Control-Allow-Origin',
          },
        ],
      },
      {
        name: 'three hops, the taint happens on the second',
        record: stream({ redirects: [hop('https://api.test/v2/events'), hop('https://cdn.test/events')], acao: page }),
        findings: [{ messageId: 'tainted-origin', data: { hops: 'https://api.test/events -> https://api.test/v2/events -> https://cdn.test/events' } }],
      },
      {
        name: 'credentialed A -> B answered with the page origin',
        record: stream({ credentials: true, redirects: [{ location: 'https://cdn.test/events', acao: page, acac: 'true' }], acao: page, acac: 'true' }),
        findings: [{ messageId: 'tainted-origin', data: { credentials: true } }],
      },
      {
        // Fetch "HTTP-redirect fetch": api.test -> app.test also taints (api.test is not the request's origin).
        name: 'cross-origin redirect back to the page origin',
        record: stream({ redirects: [hop('https://app.test/events')], acao: page }),
        findings: [{ messageId: 'tainted-origin', data: { hops: 'https://api.test/events -> https://app.test/events', url: 'https://app.test/events' } }],
      },
      {
        name: 'final server answers its own origin',
        record: stream({ redirects: [hop('https://cdn.test/events')], acao: 'https://cdn.test' }),
        findings: [{ messageId: 'tainted-origin', data: { value: 'https://cdn.test' } }],
      },
    ],
  });
});
