import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'acorn';
import { transform } from 'esbuild';
import type { Snippet } from '@/lib/fixes/plan';

/**
 * Checks that a snippet is valid in its own language with the real tool wherever one exists
 * (acorn, esbuild, CPython, nginx, Caddy, Apache httpd), and structurally otherwise. A missing
 * tool fails the test with the package to install: a skipped check would pass silently.
 */
export async function validateSnippet(snippet: Snippet): Promise<void> {
  const { code } = snippet;
  switch (snippet.language) {
    case 'javascript':
      parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
      return;
    case 'typescript':
      await transform(code, { loader: 'ts' });
      return;
    case 'python':
      run(tool('python3', 'python3'), ['-c', 'import sys; compile(sys.stdin.read(), "<snippet>", "exec")'], code);
      return;
    case 'nginx':
      return inTempDir((dir) => nginxTest(dir, code));
    case 'caddyfile':
      return inTempDir((dir) => caddyValidate(dir, code));
    case 'apache':
      return inTempDir((dir) => apacheTest(dir, code));
    case 'go':
    case 'java':
    case 'csharp': {
      const problem = structuralProblem(code, snippet.language);
      if (problem) throw new Error(`${snippet.platform}: ${problem}`);
      return;
    }
  }
}

function nginxTest(dir: string, code: string): void {
  const conf = join(dir, 'nginx.conf');
  // Every path nginx -t would open or create is in the temp dir, so it runs unprivileged.
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `    ${name}_temp_path ${join(dir, name)};`);
  writeFileSync(conf, [
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')};`,
    'events {}',
    'http {',
    `    access_log ${join(dir, 'access.log')};`,
    ...temp,
    code,
    '}',
    '',
  ].join('\n'));
  run(tool('nginx', 'nginx-light'), ['-t', '-q', '-c', conf, '-p', dir, '-e', join(dir, 'error.log')]);
}

function caddyValidate(dir: string, code: string): void {
  const file = join(dir, 'Caddyfile');
  writeFileSync(file, code);
  const caddy = tool('caddy', 'caddy');
  const env = { ...process.env, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config') };
  run(caddy, ['adapt', '--config', file, '--adapter', 'caddyfile'], undefined, env);
  run(caddy, ['validate', '--config', file, '--adapter', 'caddyfile'], undefined, env);
}

const APACHE_MODULE_DIRS = ['/usr/lib/apache2/modules', '/usr/lib/httpd/modules', '/usr/lib64/httpd/modules'];

function apacheTest(dir: string, code: string): void {
  const httpd = tool('apache2', 'apache2');
  const modules = APACHE_MODULE_DIRS.find((d) => existsSync(join(d, 'mod_proxy.so')));
  if (!modules) throw new Error('Apache modules not found: apt-get install apache2');
  const load = ['mpm_event', 'proxy', 'proxy_http', 'headers', 'rewrite', 'env']
    .map((name) => `LoadModule ${name}_module ${join(modules, `mod_${name}.so`)}`);
  const conf = join(dir, 'httpd.conf');
  writeFileSync(conf, [
    `ServerRoot ${dir}`,
    'ServerName localhost',
    `PidFile ${join(dir, 'httpd.pid')}`,
    `ErrorLog ${join(dir, 'error.log')}`,
    'Listen 127.0.0.1:8080',
    ...load,
    '<VirtualHost 127.0.0.1:8080>',
    code,
    '</VirtualHost>',
    '',
  ].join('\n'));
  run(httpd, ['-t', '-f', conf]);
}

/** Balanced brackets outside strings and comments, and no string left open at a line end. */
export function structuralProblem(code: string, language: 'go' | 'java' | 'csharp'): string | null {
  const closers: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  const stack: string[] = [];
  let i = 0;
  while (i < code.length) {
    const c = code[i] ?? '';
    const next = code[i + 1];
    if (c === '/' && next === '/') {
      const end = code.indexOf('\n', i);
      i = end < 0 ? code.length : end;
    } else if (c === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      if (end < 0) return 'unterminated block comment';
      i = end + 2;
    } else if (c === '"' || c === "'" || (c === '`' && language === 'go')) {
      let j = i + 1;
      while (j < code.length && code[j] !== c) {
        if (c !== '`' && code[j] === '\n') return `unterminated ${c} literal at offset ${i}`;
        j += c !== '`' && code[j] === '\\' ? 2 : 1;
      }
      if (j >= code.length) return `unterminated ${c} literal at offset ${i}`;
      i = j + 1;
    } else {
      if (c === '(' || c === '[' || c === '{') stack.push(c);
      const opener = closers[c];
      if (opener !== undefined && stack.pop() !== opener) return `unbalanced ${c} at offset ${i}`;
      i += 1;
    }
  }
  return stack.length > 0 ? `unclosed ${stack.join('')}` : null;
}

/** The binary's path; nginx and httpd live in sbin directories that are often not on PATH. */
function tool(name: string, aptPackage: string): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  const found = dirs.filter(Boolean).map((d) => join(d, name)).find((p) => existsSync(p));
  if (!found) throw new Error(`${name} is not installed: apt-get install ${aptPackage}`);
  return found;
}

function run(command: string, args: readonly string[], input?: string, env?: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { input, env, encoding: 'utf8', timeout: 30_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stderr}${result.stdout}`);
  }
}

function inTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sse-snippet-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
