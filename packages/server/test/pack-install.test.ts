/**
 * The published form of the packages: `npm pack` every workspace package
 * (its `prepack` builds it), install the tarballs into an empty folder, and
 * run a scenario whose action is remote against the server, both started
 * from that folder's `node_modules/.bin`. Nothing of the repository is on
 * the path there, so a file missing from a package's `files` fails here.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../../scenario-execution/test/cli/build.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = [
  'packages/protocol',
  'packages/scenario-execution',
  'packages/remote',
  'packages/server',
  'packages/coverage',
];
const TSC = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const BUNDLE = join(root, 'packages', 'scenario-execution', 'scripts', 'bundle.mjs');

interface PackResult {
  readonly name: string;
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

/** Whether the engine's bundle was made after its last TypeScript build. */
function bundleIsCurrent(): boolean {
  const engine = join(root, 'packages', 'scenario-execution');
  try {
    return (
      statSync(join(engine, 'dist', 'bundle', 'engine.js')).mtimeMs >=
      statSync(join(engine, 'tsconfig.tsbuildinfo')).mtimeMs
    );
  } catch {
    return false;
  }
}

/** The environment for a nested npm: without the npm_* variables of an enclosing `npm test`. */
function npmEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
  }
  return env;
}

function npm(args: readonly string[], cwd: string): string {
  const result = spawnSync('npm', [...args], { cwd, env: npmEnvironment(), encoding: 'utf8', timeout: 240_000 });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} exited with ${result.status ?? result.signal}:\n${result.stderr}`);
  }
  return result.stdout;
}

/** Runs a program to its end (killed after `limitMs`, a guard against a hang); exit code and output. */
function run(file: string, args: readonly string[], cwd: string, limitMs = 60_000) {
  return new Promise<{ code: number | string; output: string }>((done) => {
    const child = spawn(file, [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('exit', (code, signal) => {
      clearTimeout(guard);
      done({ code: code ?? signal ?? 'unknown', output });
    });
  });
}

/** Polls `check` every 50 ms, at most `limitMs`. */
async function waitFor(check: () => boolean, limitMs: number): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await new Promise((wake) => setTimeout(wake, 50));
  }
  return check();
}

const work = mkdtempSync(join(tmpdir(), 'se-pack-install-'));
const app = join(work, 'app');
const bin = join(app, 'node_modules', '.bin');
let packed: PackResult[] = [];
let server: ChildProcess | undefined;

beforeAll(() => {
  // What the five `prepack` scripts do, in two tsc runs rather than five (npm pack then skips them);
  // buildOnce holds the lock that keeps parallel test files from building the same files at once.
  buildOnce({ withServer: true });
  const build = spawnSync(process.execPath, [TSC, '-b', 'packages/coverage'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`tsc -b packages/coverage failed:\n${build.stdout}${build.stderr}`);
  // The engine's prepack also bundles it: an installed package runs dist/bundle whenever it is there,
  // so it must not be older than the build (as it is after `npm run build`, and then is not redone).
  if (!bundleIsCurrent()) {
    const bundle = spawnSync(process.execPath, [BUNDLE], { cwd: root, encoding: 'utf8' });
    if (bundle.status !== 0) throw new Error(`bundle.mjs failed:\n${bundle.stdout}${bundle.stderr}`);
  }
  const json = npm(
    ['pack', '--json', '--ignore-scripts', '--pack-destination', work, ...PACKAGES.flatMap((p) => ['-w', p])],
    root,
  );
  packed = JSON.parse(json) as PackResult[];
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'pack-install-app', private: true, allowScripts: { zeromq: true } }, null, 2)}\n`,
  );
  // Offline when the npm cache has every dependency (after one online run); online otherwise.
  npm(['install', '--prefer-offline', '--no-audit', '--no-fund', ...packed.map((p) => join(work, p.filename))], app);
}, 300_000);

afterAll(() => {
  if (server !== undefined && server.exitCode === null) server.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

describe('npm pack of every workspace package', () => {
  it('builds each package before packing it (prepack), so a tarball packed in a clean clone has dist', () => {
    for (const dir of PACKAGES) {
      const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      };
      const bundles = dir === 'packages/scenario-execution' ? ' && node scripts/bundle.mjs' : '';
      expect(manifest.scripts?.prepack, dir).toBe(`tsc -b${bundles}`);
    }
  });

  it('packs the five packages under their published names', () => {
    expect(packed.map((p) => p.name).sort()).toEqual([
      '@scenario-execution/coverage',
      '@scenario-execution/protocol',
      '@scenario-execution/server',
      'scenario-execution',
      'scenario-execution-plugin-remote',
    ]);
  });

  it('ships in each: package.json, README.md, LICENSE, the built dist, and the src its source maps name', () => {
    for (const pack of packed) {
      const paths = new Set(pack.files.map((f) => f.path));
      for (const path of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'src/index.ts']) {
        expect(paths.has(path), `${pack.name}: ${path}`).toBe(true);
      }
      expect(
        [...paths].filter((p) => p.startsWith('test/') || p.endsWith('.tsbuildinfo')),
        pack.name,
      ).toEqual([]);
    }
  });

  it('leaves the host-built native supervisor out of the engine package', () => {
    const engine = packed.find((p) => p.name === 'scenario-execution');
    expect(engine?.files.some((f) => f.path.startsWith('dist/cli/'))).toBe(true);
    expect(engine?.files.some((f) => f.path === 'dist/bundle/engine.js')).toBe(true);
    expect(engine?.files.filter((f) => f.path.startsWith('dist/native'))).toEqual([]);
  });

  it('has source maps whose sources exist in the installed package', () => {
    const installed = join(app, 'node_modules', 'scenario-execution', 'dist');
    for (const map of ['index.js.map', 'index.d.ts.map', 'cli/main.js.map', 'bundle/engine.js.map']) {
      const file = join(installed, map);
      const { sources } = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[] };
      expect(sources.length, map).toBeGreaterThan(0);
      // Module ids of the bundler's own (`on-first-use:yaml`) are no files.
      const files = sources.filter((source) => !/^[\w-]+:/.test(source));
      expect(files.length, map).toBeGreaterThan(0);
      for (const source of files) expect(existsSync(resolve(dirname(file), source)), source).toBe(true);
    }
  });
});

describe('the installed tarballs, from an empty folder', () => {
  it('installs the three commands and the plugin where the engine finds it', () => {
    for (const command of ['scenario_execution', 'scenario_execution_server', 'scenario_variation']) {
      expect(existsSync(join(bin, command)), command).toBe(true);
    }
    const plugin = JSON.parse(
      readFileSync(join(app, 'node_modules', 'scenario-execution-plugin-remote', 'package.json'), 'utf8'),
    ) as { 'scenario-execution': { libraries: Record<string, string> } };
    expect(plugin['scenario-execution'].libraries.remote).toBe('./osc/remote.osc');
  });

  it('runs a scenario with a remote action against the installed server on a Unix socket', async () => {
    const socket = join(work, 'se.sock');
    server = spawn(join(bin, 'scenario_execution_server'), ['--socket', socket], {
      cwd: app,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let serverLog = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      serverLog += chunk.toString();
    });
    server.stderr?.on('data', (chunk: Buffer) => {
      serverLog += chunk.toString();
    });
    expect(await waitFor(() => serverLog.includes('listening on'), 20_000), serverLog).toBe(true);

    writeFileSync(
      join(app, 'packed.osc'),
      [
        'import osc.helpers',
        'import osc.remote',
        '',
        'scenario packed_remote:',
        '    do serial:',
        '        log("on the client")',
        '        run_process("echo on-the-server") with:',
        `            remote("${socket}")`,
        '',
      ].join('\n'),
    );
    const { code, output } = await run(join(bin, 'scenario_execution'), ['packed.osc'], app);
    expect(code, output).toBe(0);
    expect(output).toContain('[INFO] on the client');
    expect(output).toContain(`[INFO] [ipc://${socket}] on-the-server`);
    expect(output).toContain("Scenario 'packed_remote' succeeded.");
    expect(serverLog).toContain("Initialized 'run_process'");

    const stopped = new Promise<number | string>((done) =>
      server?.once('exit', (exitCode, signal) => done(exitCode ?? signal ?? 'unknown')),
    );
    server.kill('SIGTERM');
    expect(await stopped).toBe(0);
  });
});
