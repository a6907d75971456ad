/**
 * What npm reads from the repository's package files: a clean `npm ci` (every
 * dependency with an install script is approved or denied in the root
 * `allowScripts`, so npm prints no warning about it) and the publishable
 * metadata of each workspace package. pack-install.test.ts packs and installs them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PUBLISHED = ['protocol', 'scenario-execution', 'remote', 'server', 'coverage'];

interface Manifest {
  name: string;
  license?: string;
  engines?: Record<string, string>;
  keywords?: string[];
  files?: string[];
  scripts?: Record<string, string>;
  publishConfig?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
  private?: boolean;
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as Manifest;
}

describe('npm ci', () => {
  it('has every locked package with an install script approved or denied in allowScripts', () => {
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean; link?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path.includes('node_modules/') && entry.hasInstallScript && !entry.link)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    const decided = Object.keys(manifest('.').allowScripts ?? {});
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((name) => !decided.includes(name))).toEqual([]);
  });
});

describe('the published packages', () => {
  it.each(PUBLISHED)('%s: license, engines, keywords, README, LICENSE, dist and src in files', (dir) => {
    const pkg = manifest(join('packages', dir));
    expect(pkg.private).toBeUndefined();
    expect(pkg.license).toBe('Apache-2.0');
    expect(pkg.engines?.node).toBe(manifest('.').engines?.node);
    expect(pkg.keywords?.length).toBeGreaterThan(0);
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'src']));
    expect(existsSync(join(root, 'packages', dir, 'README.md'))).toBe(true);
    expect(readFileSync(join(root, 'packages', dir, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  it.each(PUBLISHED)('%s: named by the rule, and public when scoped', (dir) => {
    const pkg = manifest(join('packages', dir));
    const ruled = /^(scenario-execution|scenario-execution-plugin-[a-z0-9-]+|@scenario-execution\/[a-z0-9-]+)$/;
    expect(pkg.name).toMatch(ruled);
    if (pkg.name.startsWith('@')) expect(pkg.publishConfig?.access).toBe('public');
  });
});
