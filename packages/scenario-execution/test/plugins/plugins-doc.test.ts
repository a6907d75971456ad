/**
 * docs/plugins.md builds a plugin file by file. These tests take its code
 * blocks as written, check them with the repository's own lint (as if the
 * plugin were put under `examples/`, as the page suggests), install the
 * plugin as the page does, and run the page's scenario: its output must be
 * the one the page shows.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, CLI_BIN, REPO_ROOT } from '../cli/build.js';

const PLUGIN = 'scenario-execution-plugin-counter';
const page = readFileSync(join(REPO_ROOT, 'docs', 'plugins.md'), 'utf8');

/** The page's files: a line naming the file (`` `count-to.js`: ``, `` `counting.osc` in `project`: ``, …), a blank line, then a fenced block. */
function filesOfPage(): Map<string, string> {
  const files = new Map<string, string>();
  for (const match of page.matchAll(
    /^`([\w./-]+\.(?:json|osc|js))`(?: in `[^`\n]+`| declares what scenarios can use)?:\n\n```\w+\n([\s\S]*?)^```$/gm,
  )) {
    files.set(match[1]!, match[2]!);
  }
  return files;
}

/** The lines of the console block that follows `$ <command>` on the page. */
function shownOutput(command: string): string[] {
  const start = page.indexOf(`$ ${command}\n`);
  if (start < 0) throw new Error(`docs/plugins.md has no '$ ${command}'`);
  const end = page.indexOf('\n```', start);
  return page.slice(start, end).split('\n').slice(1);
}

const files = filesOfPage();
const work = mkdtempSync(join(tmpdir(), 'se-plugins-doc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => buildOnce());

describe('the plugin of docs/plugins.md', () => {
  it('is given in full: manifest, OSC library, action, modifier, external methods, scenario', () => {
    expect([...files.keys()].sort()).toEqual([
      'count-to.js',
      'counting.osc',
      'log-status.js',
      'osc/counter.osc',
      'package.json',
      'tools.js',
    ]);
  });

  it('passes the repository lint when put under examples/', () => {
    // A copy of the repository's configuration, so the check sees only these files.
    const lintRoot = join(work, 'lint');
    const pluginDir = join(lintRoot, 'examples', PLUGIN);
    mkdirSync(pluginDir, { recursive: true });
    copyFileSync(join(REPO_ROOT, 'biome.json'), join(lintRoot, 'biome.json'));
    for (const [path, text] of files) {
      if (path === 'counting.osc') continue;
      mkdirSync(dirname(join(pluginDir, path)), { recursive: true });
      writeFileSync(join(pluginDir, path), text);
    }
    const biome = join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
    const result = spawnSync(process.execPath, [biome, 'check', '--colors=off', 'examples'], {
      cwd: lintRoot,
      encoding: 'utf8',
    });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('Checked 4 files');
  });

  it('installed as the page says, runs the page scenario with the output the page shows', () => {
    const pluginDir = join(work, PLUGIN);
    const project = join(work, 'project');
    for (const [path, text] of files) {
      const target = path === 'counting.osc' ? join(project, path) : join(pluginDir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
    // What the page's two `npm install <folder>` make: links, the engine next to the plugin, the plugin next to the scenarios.
    mkdirSync(join(pluginDir, 'node_modules'));
    symlinkSync(
      join(REPO_ROOT, 'packages', 'scenario-execution'),
      join(pluginDir, 'node_modules', 'scenario-execution'),
    );
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(pluginDir, join(project, 'node_modules', PLUGIN));

    const result = spawnSync(process.execPath, [CLI_BIN, 'counting.osc'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split('\n')).toEqual(shownOutput('scenario_execution counting.osc'));
  });
});
