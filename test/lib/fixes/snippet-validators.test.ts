import { describe, expect, it } from 'vitest';
import type { Snippet, SnippetLanguage } from '@/lib/fixes/plan';
import { structuralProblem, validateSnippet } from './snippet-validators';

/** The validators behind render.test.ts must be able to fail: each rejects a broken snippet. */
const broken: readonly [SnippetLanguage, string][] = [
  ['javascript', 'app.get("/events", (req, res) => { res.write("x"'],
  ['typescript', 'export async function GET(request: Request): Response {'],
  ['python', 'def stream(request):\nreturn 1'],
  ['nginx', 'server { listen 80; location / { proxy_pass http://127.0.0.1:3000 } }'],
  ['caddyfile', 'example.com {\n  reverse_proxy {\n'],
  ['apache', '<Location /events>\n  Header always set\n</Location>'],
];

describe('snippet validators', () => {
  it.each(broken)('reject a broken %s snippet', async (language, code) => {
    const snippet = { platform: 'express', language, code } as Snippet;
    await expect(validateSnippet(snippet)).rejects.toThrow();
  });

  it('find unbalanced braces in Go, Java and C#', () => {
    expect(structuralProblem('func main() { if true { }', 'go')).not.toBeNull();
    expect(structuralProblem('class A { void b() { } }', 'java')).toBeNull();
  });
});
