import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEnvironment, readGitSha } from './env.js';

const SHA1 = '1111111111111111111111111111111111111111';
const SHA2 = '2222222222222222222222222222222222222222';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kefu-git-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function repo(name: string, files: Record<string, string>): Promise<string> {
  const root = join(dir, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

describe('readGitSha', () => {
  it('follows HEAD to a loose ref', async () => {
    const root = await repo('loose', { '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${SHA1}\n` });
    expect(await readGitSha(root)).toBe(SHA1);
  });
  it('falls back to packed-refs', async () => {
    const root = await repo('packed', { '.git/HEAD': 'ref: refs/heads/main\n', '.git/packed-refs': `# pack-refs\n${SHA2} refs/heads/main\n` });
    expect(await readGitSha(root)).toBe(SHA2);
  });
  it('reads a detached HEAD', async () => {
    expect(await readGitSha(await repo('detached', { '.git/HEAD': `${SHA1}\n` }))).toBe(SHA1);
  });
  it('follows a worktree link and its commondir', async () => {
    await repo('main-repo', { '.git/refs/heads/feature': `${SHA2}\n`, '.git/worktrees/wt/HEAD': 'ref: refs/heads/feature\n', '.git/worktrees/wt/commondir': '../..\n' });
    const wt = await repo('wt', { '.git': `gitdir: ${join(dir, 'main-repo', '.git', 'worktrees', 'wt')}\n` });
    expect(await readGitSha(wt)).toBe(SHA2);
  });
  it('is null outside a checkout', async () => {
    expect(await readGitSha(await repo('plain', { 'README.md': 'x' }))).toBeNull();
  });
});

describe('describeEnvironment', () => {
  it('records node, cpu, seed and sha', async () => {
    const root = await repo('env', { '.git/HEAD': `${SHA1}\n` });
    const env = await describeEnvironment({ seed: 7, root });
    expect(env).toMatchObject({ node: process.version, seed: 7, gitSha: SHA1 });
    expect(env.cores).toBeGreaterThan(0);
    expect(typeof env.cpu).toBe('string');
  });
});
