import { readFile } from 'node:fs/promises';
import { cpus, platform, arch } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Where a bench ran: enough to tell whether two results are comparable. */
export interface BenchEnvironment {
  readonly node: string;
  /** ICU version (tokenisation of some scripts depends on it); null on a build without ICU. */
  readonly icu: string | null;
  readonly cpu: string;
  readonly cores: number;
  readonly platform: string;
  readonly seed: number;
  /** The commit checked out at `root`, or null outside a git checkout. */
  readonly gitSha: string | null;
}

/**
 * Describes the machine and checkout a bench runs on. The git SHA is read from `.git` files (HEAD, loose refs,
 * packed-refs, worktree links), so no `git` binary or child process is needed.
 *
 * @example
 * ```ts
 * const env = await describeEnvironment({ seed: 42 }); // → { node: 'v20.20.2', cpu: 'Intel(R) Xeon(R) …', gitSha: '5545548…', … }
 * ```
 */
export async function describeEnvironment(options: { readonly seed: number; readonly root?: string }): Promise<BenchEnvironment> {
  const list = cpus();
  return {
    node: process.version,
    icu: process.versions.icu ?? null,
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    platform: `${platform()}-${arch()}`,
    seed: options.seed,
    gitSha: await readGitSha(resolve(options.root ?? process.cwd())),
  };
}

/**
 * The commit SHA checked out in `root`, or null when it cannot be determined.
 *
 * @example
 * ```ts
 * await readGitSha('/work/main'); // → '5545548e…' (40 hex digits)
 * ```
 */
export async function readGitSha(root: string): Promise<string | null> {
  const gitDir = await findGitDir(root);
  if (gitDir === null) return null;
  const head = (await readText(join(gitDir, 'HEAD')))?.trim();
  if (head === undefined) return null;
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (ref === undefined) return null;
  // In a linked worktree, branch refs live in the common directory named by `commondir`.
  const common = (await readText(join(gitDir, 'commondir')))?.trim();
  const dirs = common === undefined ? [gitDir] : [gitDir, isAbsolute(common) ? common : resolve(gitDir, common)];
  for (const dir of dirs) {
    const loose = (await readText(join(dir, ref)))?.trim();
    if (loose !== undefined && /^[0-9a-f]{40}$/.test(loose)) return loose;
    const packed = await readText(join(dir, 'packed-refs'));
    for (const line of packed?.split('\n') ?? []) {
      const [sha, name] = line.trim().split(/\s+/);
      if (name === ref && sha !== undefined && /^[0-9a-f]{40}$/.test(sha)) return sha;
    }
  }
  return null;
}

async function findGitDir(root: string): Promise<string | null> {
  const dotGit = join(root, '.git');
  if ((await readText(join(dotGit, 'HEAD'))) !== undefined) return dotGit;
  // A worktree or submodule: `.git` is a file "gitdir: <path>".
  const link = /^gitdir:\s*(.+)$/m.exec((await readText(dotGit)) ?? '')?.[1]?.trim();
  return link === undefined ? null : isAbsolute(link) ? link : resolve(root, link);
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
