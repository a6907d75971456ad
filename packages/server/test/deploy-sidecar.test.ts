/**
 * The sidecar Job of deploy/kubernetes acted out on this machine: the server
 * and the scenario client run as two processes with exactly the arguments of
 * the manifest, a temporary folder standing in for each volume (the emptyDir
 * `/ipc` shared by both, the ConfigMap's files at `/scenarios`). As kubelet
 * does, the client starts once the sidecar's startupProbe passed. The client
 * succeeds; the server then stops by itself and leaves no socket file.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Container, findObject, podSpec, REPO } from './support/deploy.js';
import { sleep, tempDir } from './support/harness.js';
import { BIN, requireBuild, type SpawnedServer, spawnServer } from './support/spawned.js';

const CLIENT_BIN = join(REPO, 'packages/scenario-execution/bin/scenario_execution.js');

const spawned: SpawnedServer[] = [];
const cleanups: (() => void)[] = [];

beforeAll(() => {
  requireBuild();
});

afterEach(() => {
  for (const s of spawned.splice(0)) s.kill();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function run(argv: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...argv], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the sidecar Job, acted out', () => {
  it('runs the scenario through the sidecar, which then stops by itself and leaves no socket file', async () => {
    const job = findObject('Job', 'scenario-sidecar-example');
    const spec = podSpec(job);
    const sidecar = spec.initContainers?.[0] as Container;
    const client = spec.containers[0] as Container;
    const root = tempDir('se-sidecar-');
    cleanups.push(root.remove);

    // A folder per volume; the ConfigMap's keys become files, as kubelet mounts them.
    const volumeDirs = new Map<string, string>();
    for (const volume of spec.volumes ?? []) {
      const dir = join(root.path, volume.name);
      mkdirSync(dir);
      volumeDirs.set(volume.name, dir);
    }
    const mounts = new Map<string, string>();
    for (const container of [sidecar, client]) {
      for (const mount of container.volumeMounts ?? [])
        mounts.set(mount.mountPath, volumeDirs.get(mount.name) as string);
    }
    /** `text` with each mount path replaced by its folder here. */
    const local = (text: string) => {
      let result = text;
      for (const [mountPath, dir] of mounts) result = result.split(`${mountPath}/`).join(`${dir}/`);
      return result;
    };
    for (const volume of spec.volumes ?? []) {
      if (volume.configMap === undefined) continue;
      const data = findObject('ConfigMap', volume.configMap.name).data as Record<string, string>;
      for (const [key, text] of Object.entries(data))
        writeFileSync(join(volumeDirs.get(volume.name) as string, key), local(text));
    }
    const ipc = mounts.get('/ipc') as string;

    // The sidecar: the server image's ENTRYPOINT with the manifest's arguments, in its WORKDIR.
    const server = spawnServer((sidecar.args ?? []).map(local), ipc);
    spawned.push(server);

    // kubelet runs the startupProbe every periodSeconds until it passes, and only then the client.
    const probe = (sidecar.startupProbe?.exec?.command ?? []).map(local);
    expect(probe[0]).toBe('scenario_execution_server');
    let started = false;
    for (let i = 0; i < 60 && !started; i++) {
      started = (await run([BIN, ...probe.slice(1)], ipc)).code === 0;
      if (!started) await sleep(200);
    }
    expect(started).toBe(true);

    // The client: the client image's ENTRYPOINT with the manifest's arguments.
    const scenarios = mounts.get('/scenarios') as string;
    const result = await run([CLIENT_BIN, ...(client.args ?? []).map(local)], scenarios);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`[ipc://${ipc}/se.sock] Linux`);
    expect(result.stdout).toContain("Scenario 'sidecar_example' succeeded.");

    // Its client gone, the server stops by itself (its watchdog) and cleans up.
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toMatch(/Watchdog: no message for 3s, stopping\./);
    expect(server.stdout()).toContain('Server stopped.');
    expect(readdirSync(ipc)).toEqual([]);
  });
});
