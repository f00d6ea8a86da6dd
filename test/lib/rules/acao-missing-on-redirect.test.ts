import { describe } from 'vitest';
import rule from '@/lib/rules/acao-missing-on-redirect';
import { stream } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const page = 'https://app.test';

describe('acao-missing-on-redirect', () => {
  testRule(rule, {
    valid: [
      { name: 'redirect hop with ACAO', record: stream({ redirects: [{ location: 'https://api.test/v2/events', acao: page }], acao: page }) },
      { name: 'same-origin redirect within the page origin', record: stream({ url: 'https://app.test/events', redirects: [{ location: '/v2/events' }] }) },
      { name: 'same-origin 3xx before a cross-origin hop is not CORS-checked', record: stream({ url: 'https://app.test/events', redirects: [{ location: 'https://api.test/events' }], acao: page }) },
      { name: 'no redirect, missing ACAO belongs to acao-missing', record: stream() },
      { name: 'wrong value on the 3xx belongs to acao-mismatch', record: stream({ redirects: [{ location: 'https://api.test/v2/events', acao: 'https://app.test/' }], acao: page }) },
    ],
    invalid: [
      {
        name: 'cross-origin 302 without ACAO',
        record: stream({ redirects: [{ location: 'https://api.test/v2/events' }], acao: page }),
        findings: [
          {
            messageId: 'redirect-hop',
            data: { status: 302, url: 'https://api.test/events', location: 'https://api.test/v2/events', corsError: 'MissingAllowOriginHeader', firefoxReason: 'CORSMissingAllowOrigin', toPageOrigin: false },
            severity: 'error',
            header: 'Access-Control-Allow-Origin',
          },
        ],
      },
      {
        name: '307 back to the page origin still needs ACAO',
        record: stream({ redirects: [{ status: 307, location: 'https://app.test/events' }], acao: '*' }),
        findings: [{ messageId: 'redirect-hop', data: { status: 307, location: 'https://app.test/events', toPageOrigin: true } }],
      },
      {
        name: 'relative Location is resolved',
        record: stream({ redirects: [{ status: 301, location: '/v2/events' }], acao: page }),
        findings: [{ messageId: 'redirect-hop', data: { status: 301, location: 'https://api.test/v2/events' } }],
      },
      {
        name: 'second hop lacks ACAO',
        record: stream({ redirects: [{ location: 'https://api.test/v2/events', acao: page }, { status: 308, location: 'https://api.test/v3/events' }], acao: page }),
        findings: [{ messageId: 'redirect-hop', data: { status: 308, url: 'https://api.test/v2/events', location: 'https://api.test/v3/events' } }],
      },
      {
        name: 'redirect to a URL with credentials (Chromium only)',
        record: stream({ redirects: [{ location: 'https://user:secret@cdn.test/events', acao: page }], acao: '*' }),
        findings: [{ messageId: 'redirect-hop', data: { corsError: 'RedirectContainsCredentials', location: 'https://***:***@cdn.test/events', firefoxReason: '' }, header: 'Location' }],
      },
    ],
  });
});
