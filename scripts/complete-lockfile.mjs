// Adds lockfile entries for platform-specific optional packages (other operating systems and CPUs) that
// `npm install` could not resolve from the registry it ran against. Without them `npm ci` refuses the lock
// ("Missing: … from lock file"). Entries carry os/cpu/libc so npm skips them on other platforms and fetches
// them by name and version where they apply. Run after `npm install`: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = 'package-lock.json';
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;
const OS = ['android', 'darwin', 'freebsd', 'linux', 'win32', 'openbsd', 'openharmony', 'sunos', 'netbsd', 'aix'];
const CPU = { 'arm-eabi': 'arm', 'arm-gnueabihf': 'arm', 'arm-musleabihf': 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x', universal: null };

function platformOf(name) {
  const base = name.split('/').pop();
  const parts = base.split('-');
  const osIndex = parts.findIndex((p) => OS.includes(p));
  if (osIndex < 0) return null;
  const rest = parts.slice(osIndex + 1);
  const libc = rest.includes('musl') || rest.includes('musleabihf') ? 'musl' : rest.includes('gnu') || rest.includes('gnueabihf') ? 'glibc' : null;
  let cpu = null;
  for (let n = rest.length; n > 0 && cpu === null; n--) {
    const key = rest.slice(0, n).join('-');
    if (key in CPU) cpu = CPU[key] ?? undefined;
  }
  return { os: parts[osIndex], cpu, libc };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const prefix = path === '' ? '' : `${path}/`;
    const nested = `${prefix}node_modules/${dep}`;
    const top = `node_modules/${dep}`;
    if (packages[nested] || packages[top]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(version)) continue;
    packages[top] = {
      version,
      cpu: platform.cpu ? [platform.cpu] : undefined,
      license: entry.license,
      optional: true,
      os: [platform.os],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      engines: entry.engines,
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
