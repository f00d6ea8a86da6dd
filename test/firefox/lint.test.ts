import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { extensionDir } from '../capture/harness';

/**
 * Mozilla's add-on linter (what addons.mozilla.org runs on upload) on the Firefox build: no errors,
 * no warnings. It runs offline. Notices are listed too, so a new one shows up in the failure.
 */
interface LintMessage {
  readonly code: string;
  readonly message: string;
  readonly file?: string;
}
interface LintReport {
  readonly summary: { readonly errors: number; readonly warnings: number; readonly notices: number };
  readonly errors: readonly LintMessage[];
  readonly warnings: readonly LintMessage[];
  readonly notices: readonly LintMessage[];
}

const WEB_EXT = join(import.meta.dirname, '../../node_modules/.bin/web-ext');

describe('web-ext lint on the Firefox build', () => {
  it('reports no errors, warnings or notices', async () => {
    const source = extensionDir('firefox');
    // web-ext exits non-zero when the linter finds errors; the JSON report is on stdout either way.
    const { stdout } = await promisify(execFile)(WEB_EXT, ['lint', '--output', 'json', '--no-config-discovery', '--source-dir', source], { maxBuffer: 16 * 1024 * 1024 }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
    );
    const report = JSON.parse(stdout) as LintReport;
    const messages = [...report.errors, ...report.warnings, ...report.notices].map((m) => `${m.code} ${m.file ?? ''}: ${m.message}`);
    expect(messages).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notices: 0 });
  }, 60_000);
});
