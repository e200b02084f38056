// Starts a throw-away redis-server on a free loopback port for the session-store tests and the dialogue bench.
// Nothing is persisted (--save "", --appendonly no, a temporary --dir) and the server is killed by stop(), or when
// this process exits if stop() was never reached.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Kills the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Why Redis tests and benches skip where no server binary exists (CI installs one with apt-get). */
export const NO_REDIS_SERVER_REASON = 'no redis-server on PATH (install it: apt-get install redis-server)';

/** The redis-server executable on PATH (or in $REDIS_SERVER), or null when there is none. */
export function findRedisServer(): string | null {
  const explicit = process.env.REDIS_SERVER;
  if (explicit !== undefined && explicit !== '') return isExecutable(explicit) ? explicit : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'redis-server');
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A loopback port the OS reports free right now: listen on port 0, read the port, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not read the free port'))));
    });
  });
}

/** Sends PING over a raw socket; resolves on +PONG. */
async function ping(port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const fail = (error: Error): void => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no PONG from 127.0.0.1:${port} within ${timeoutMs} ms`)));
    socket.once('error', fail);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) {
        socket.end();
        if (reply.startsWith('+PONG')) resolve();
        else fail(new Error(`unexpected reply to PING: ${reply.trim()}`));
      }
    });
  });
}

/**
 * Waits until the server logs that it accepts connections (or exits), without polling.
 * Rejects with the server's own output when it exits first, e.g. because another process took the port.
 */
async function waitReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => done(new Error(`redis-server did not become ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) done();
    };
    const onExit = (code: number | null): void => done(new Error(`redis-server exited (code ${String(code)}) before it was ready:\n${output}`));
    const done = (error?: Error): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error === undefined) resolve();
      else reject(error);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Starts redis-server on a free loopback port and waits for PONG. Retries on a new port when the chosen one was
 * taken between the check and the start.
 */
export async function startRedisServer(binary: string, options: { readonly readyTimeoutMs?: number } = {}): Promise<RedisServer> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'kefu-redis-'));
    const child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'notice'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const killOnExit = (): void => {
      child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    let isStopped = false;
    const stop = async (): Promise<void> => {
      if (isStopped) return;
      isStopped = true;
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const forced = setTimeout(() => child.kill('SIGKILL'), 2_000);
        await exited;
        clearTimeout(forced);
      }
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      await waitReady(child, readyTimeoutMs);
      await ping(port, readyTimeoutMs);
      // Keep draining the output so the server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      return { port, url: `redis://127.0.0.1:${port}`, stop };
    } catch (error) {
      lastError = error;
      await stop();
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
