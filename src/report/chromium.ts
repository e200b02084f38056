import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What a headless browser made of a page. */
export interface BrowserRender {
  /** The DOM after loading, serialised. */
  readonly dom: string;
  /** Every console message the page produced (CSP violations, failed loads, script errors). */
  readonly console: readonly string[];
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The path of a Chromium binary (`KEFU_CHROMIUM` wins), or null when none is installed. Test helper; not exported. */
export function findChromium(): string | null {
  const env = process.env.KEFU_CHROMIUM;
  if (env !== undefined && env !== '' && existsSync(env)) return env;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/**
 * Loads `html` from a temporary file in headless Chromium with the network disabled (every host name resolves to
 * nothing), and returns the DOM and every console message. Used by the report tests to check that pages render
 * without console errors and show the expected figures.
 */
export async function renderInChromium(html: string, options: { readonly binary: string; readonly timeoutMs?: number }): Promise<BrowserRender> {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-chromium-'));
  const file = join(dir, 'page.html');
  writeFileSync(file, html);
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND',
    '--proxy-server=127.0.0.1:9',
    '--enable-logging=stderr',
    '--v=0',
    '--virtual-time-budget=3000',
    `--user-data-dir=${join(dir, 'profile')}`,
    '--dump-dom',
    pathToFileURL(file).href,
  ];
  try {
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
      const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve({ stdout: out, stderr: err, code: c });
      });
    });
    if (code !== 0 || !stdout.includes('</html>')) throw new Error(`chromium exited with ${code}: ${stderr.slice(-2000)}`);
    const console = stderr
      .split('\n')
      .filter((l) => /:CONSOLE(?:[:(]|\])/.test(l))
      .map((l) => l.replace(/^\[[^\]]*\]\s*/, ''));
    return { dom: stdout, console };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
