import { describe } from 'vitest';
import rule from '@/lib/rules/preflight-invalid-allow-list';
import { stream, type PreflightOptions, type StreamOptions } from '@/lib/model/builders';
import { testRule } from '../../support/rule-tester';

const PAGE = 'https://app.test';
const apiKey = (preflight: PreflightOptions, extra: StreamOptions = {}) =>
  stream({ client: 'fetch', requestHeaders: [['X-API-Key', 'k']], acao: PAGE, preflight: { acao: PAGE, ...preflight }, ...extra });

describe('preflight-invalid-allow-list', () => {
  testRule(rule, {
    valid: [
      { name: 'well-formed lists', record: apiKey({ allowMethods: 'GET, POST', allowHeaders: 'X-API-Key, Content-Type' }) },
      { name: 'empty items are skipped, not invalid', record: apiKey({ allowMethods: 'GET,,POST', allowHeaders: ',X-API-Key,' }) },
      { name: 'a broken list behind a failed ACAO check is not what blocks', record: apiKey({ acao: undefined, allowHeaders: 'X-API-Key;' }) },
    ],
    invalid: [
      {
        name: 'trailing semicolon in Allow-Headers',
        record: apiKey({ allowHeaders: 'X-API-Key;' }),
        findings: [{ messageId: 'headers', data: { value: 'X-API-Key;', token: 'X-API-Key;', browsers: 'chromium,firefox' }, severity: 'error', header: 'Access-Control-Allow-Headers' }],
      },
      {
        name: 'space instead of a comma in Allow-Methods',
        record: apiKey({ allowMethods: 'GET POST', allowHeaders: 'X-API-Key' }),
        findings: [{ messageId: 'methods', data: { value: 'GET POST', token: 'GET POST' }, header: 'Access-Control-Allow-Methods' }],
      },
      {
        name: 'both lists broken: both reported, methods first',
        record: apiKey({ allowMethods: 'GET POST', allowHeaders: '"X-API-Key"' }),
        findings: [
          { messageId: 'methods', data: { token: 'GET POST' } },
          { messageId: 'headers', data: { token: '"X-API-Key"' } },
        ],
      },
      {
        name: 'the bad token sits on the second header line',
        record: apiKey({ allowHeaders: 'X-API-Key', headers: [['Access-Control-Allow-Headers', 'Content-Type; charset']] }),
        findings: [{ messageId: 'headers', data: { value: 'Content-Type; charset', token: 'Content-Type; charset' } }],
      },
      {
        // Firefox checks the method before it parses Allow-Headers and reports CORSMethodNotFound.
        name: 'Chromium alone stops at the broken Allow-Headers when the method is also missing',
        record: apiKey({ allowMethods: 'GET', allowHeaders: 'X-API-Key;' }, { method: 'PUT' }),
        findings: [{ messageId: 'headers', data: { browsers: 'chromium' } }],
      },
    ],
  });
});
