/**
 * The batch recipe of deploy/kubernetes/batch, checked statically as the
 * other manifests are (no cluster or container runtime works here):
 *
 * - every manifest parses (YAML 1.1 as Kubernetes reads it, the same as 1.2),
 *   validates against the Kubernetes API schema (`kubernetes-models`) and uses
 *   no field the API does not know (the models' types, checked by the compiler);
 * - indices, paths and arguments agree: one completion per scenario of the
 *   ConfigMap, the index from JOB_COMPLETION_INDEX, the commands parse with
 *   the tools' real parsers and use flags of their --help, the run and the
 *   merge share the results claim, the failure policy matches our exit status;
 *
 * and acted out as local processes: every index of the Job as a pod (its
 * sidecar server started, the client once the startup probe passes, the
 * server stopped by SIGTERM once the client is done, as kubelet does), a
 * temporary folder standing in for each volume (the ConfigMap laid out as
 * kubelet lays it out, with `..data`), all indices at once on one shared
 * results folder; then the merge Job.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseBatchArgs } from '../src/batch/args.js';
import { hasPlaceholders } from '../src/batch/launch-command.js';
import {
  type Container,
  type K8sObject,
  kubernetesTypeErrors,
  type PodSpec,
  parseYamlFile,
} from '../../server/test/support/deploy.js';
import { BATCH_BIN, pollUntil, REPO, requireBuild, SE_BIN, SPAWNING, sleep, tempDir } from './batch-support.js';

const BATCH_DIR = join(REPO, 'deploy/kubernetes/batch');
/** Where the in-memory type check of the manifests pretends to be (never written). */
const SCRATCH_FILE = join(REPO, 'packages/coverage/test/__batch_manifests__.ts');
const SERVER_BIN = join(REPO, 'packages/server/bin/scenario_execution_server.js');
/** Our commands, by the name the images put on the PATH. */
const PROGRAMS: Readonly<Record<string, string>> = {
  scenario_batch_execution: BATCH_BIN,
  scenario_execution: SE_BIN,
  scenario_execution_server: SERVER_BIN,
};
/** What each image runs when a container gives no command (deploy/container/Containerfile). */
const ENTRYPOINTS: Readonly<Record<string, string>> = {
  'scenario-execution-server': 'scenario_execution_server',
  'scenario-execution': 'scenario_execution',
};

interface JobSpec {
  readonly completionMode?: string;
  readonly completions?: number;
  readonly parallelism?: number;
  readonly backoffLimitPerIndex?: number;
  readonly podFailurePolicy?: {
    rules: {
      action: string;
      onExitCodes?: { containerName?: string; operator: string; values: number[] };
      onPodConditions?: { type: string; status: string }[];
    }[];
  };
  readonly template: { spec: PodSpec };
}

const FILES = readdirSync(BATCH_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const OBJECTS: { file: string; object: K8sObject }[] = FILES.filter((file) => file !== 'kustomization.yaml').flatMap(
  (file) => parseYamlFile(join(BATCH_DIR, file)).map((object) => ({ file, object: object as K8sObject })),
);

function find(kind: string, name: string): K8sObject {
  const found = OBJECTS.filter(({ object }) => object.kind === kind && object.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return (found[0] as { object: K8sObject }).object;
}

const RUN_JOB = find('Job', 'scenario-batch');
const MERGE_JOB = find('Job', 'scenario-batch-merge');
const RUN = RUN_JOB.spec as JobSpec;
const MERGE = MERGE_JOB.spec as JobSpec;
const RUN_POD = RUN.template.spec;
const SIDECAR = RUN_POD.initContainers?.[0] as Container;
const CLIENT = RUN_POD.containers[0] as Container;
const MERGER = MERGE.template.spec.containers[0] as Container;

/** The program and arguments of a container: its command, else its image's ENTRYPOINT. */
function invocation(container: Container): { program: string; args: string[] } {
  const image = container.image.split(':')[0] as string;
  const [program, ...rest] = container.command ?? [ENTRYPOINTS[image] as string];
  return { program: program as string, args: [...rest, ...(container.args ?? [])] };
}

/** `$(NAME)` in an argument replaced as kubelet does (`$$` stays a literal `$`). */
function expand(arg: string, env: Readonly<Record<string, string>>): string {
  return arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string | undefined) =>
    name === undefined ? '$' : (env[name] ?? whole),
  );
}

/** The scenario files of the ConfigMap a pod mounts at `path`, sorted as the batch sorts them. */
function scenarioKeys(pod: PodSpec, container: Container, path: string): string[] {
  const mount = container.volumeMounts?.find((m) => m.mountPath === path);
  const configMap = pod.volumes?.find((v) => v.name === mount?.name)?.configMap?.name as string;
  const data = find('ConfigMap', configMap).data as Record<string, string>;
  return Object.keys(data)
    .filter((key) => key.endsWith('.osc') || key.endsWith('.sce'))
    .sort();
}

describe('the batch manifests', SPAWNING, () => {
  it('parse, validate against the Kubernetes API schema, and use no field it does not know', async () => {
    expect(OBJECTS.map(({ object }) => `${object.kind} ${object.metadata.name}`).sort()).toEqual([
      'ConfigMap scenario-batch-scenarios',
      'Job scenario-batch',
      'Job scenario-batch-merge',
      'PersistentVolumeClaim scenario-batch-results',
    ]);
    for (const { file, object } of OBJECTS) {
      expect(object.metadata.namespace, file).toBe('scenario-tests');
      const models = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`)) as Record<
        string,
        new (
          data: unknown,
        ) => { validate(): void }
      >;
      const Model = models[object.kind] as new (data: unknown) => { validate(): void };
      expect(() => new Model(object).validate(), file).not.toThrow();
    }
    expect(
      kubernetesTypeErrors(
        OBJECTS.map(({ object }) => object),
        SCRATCH_FILE,
      ),
    ).toEqual([]);
    // Both checks catch a mistake.
    const { Job } = await import('kubernetes-models/batch/v1/Job');
    const wrong = structuredClone(RUN_JOB) as unknown as { spec: { completionMode: string; completionz?: number } };
    wrong.spec.completionMode = 'Sometimes';
    expect(() => new Job(wrong as never).validate()).toThrow(/completionMode/);
    wrong.spec.completionMode = 'Indexed';
    wrong.spec.completionz = 3;
    expect(kubernetesTypeErrors([wrong as unknown as K8sObject], SCRATCH_FILE).join('\n')).toMatch(/completionz/);
  });

  it('are in their kustomization, all but the merge Job, which must start after the run', () => {
    const [kustomization] = parseYamlFile(join(BATCH_DIR, 'kustomization.yaml')) as {
      kind: string;
      resources: string[];
      images: { name: string }[];
    }[];
    expect(kustomization?.kind).toBe('Kustomization');
    expect([...(kustomization?.resources ?? [])].sort()).toEqual(
      FILES.filter((file) => file !== 'kustomization.yaml' && file !== 'merge-job.yaml'),
    );
    expect(kustomization?.images.map((image) => image.name).sort()).toEqual(Object.keys(ENTRYPOINTS).sort());
  });

  it('run one index per scenario of the ConfigMap, the index coming from JOB_COMPLETION_INDEX', () => {
    const keys = scenarioKeys(RUN_POD, CLIENT, '/scenarios');
    expect(keys.length).toBeGreaterThan(1);
    expect(RUN.completionMode).toBe('Indexed');
    expect(RUN.completions).toBe(keys.length);
    expect(RUN.parallelism).toBeLessThanOrEqual(keys.length);
    const index = CLIENT.env?.find((variable) => variable.name === 'JOB_COMPLETION_INDEX');
    expect(index?.valueFrom?.fieldRef?.fieldPath).toBe(
      "metadata.annotations['batch.kubernetes.io/job-completion-index']",
    );
    const { program, args } = invocation(CLIENT);
    expect(program).toBe('scenario_batch_execution');
    for (let i = 0; i < (RUN.completions as number); i++) {
      const options = parseBatchArgs(args.map((arg) => expand(arg, { JOB_COMPLETION_INDEX: String(i) })));
      expect(options.index).toBe(i);
      expect(options.mergeOnly).toBe(false);
    }
  });

  it('use the real flags: the commands parse, and name only flags of their --help', () => {
    const run = parseBatchArgs(invocation(CLIENT).args.map((arg) => expand(arg, { JOB_COMPLETION_INDEX: '0' })));
    const merge = parseBatchArgs(invocation(MERGER).args);
    expect(invocation(MERGER).program).toBe('scenario_batch_execution');
    expect(merge).toMatchObject({ mergeOnly: true, scenarioDir: run.scenarioDir, outputDir: run.outputDir });
    expect(hasPlaceholders(run.launchCommand)).toBe(true);
    const [launched, ...launchArgs] = run.launchCommand;
    expect(launched).toBe('scenario_execution');
    const commands: [string, string[]][] = [
      ['scenario_batch_execution', invocation(CLIENT).args],
      ['scenario_batch_execution', invocation(MERGER).args],
      ['scenario_execution', launchArgs],
      ['scenario_execution_server', invocation(SIDECAR).args],
      ['scenario_execution_server', SIDECAR.startupProbe?.exec?.command.slice(1) ?? []],
    ];
    const helps = new Map<string, string>();
    for (const [program, args] of commands) {
      const bin = PROGRAMS[program] as string;
      const help = helps.get(program) ?? execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
      helps.set(program, help);
      // Options only: the launch command after `--` is checked as scenario_execution's.
      const options =
        program === 'scenario_batch_execution' && args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
      const flags = options.filter((arg) => arg.startsWith('-')).map((arg) => arg.split('=')[0] as string);
      expect(flags.length, program).toBeGreaterThan(0);
      for (const flag of flags) {
        expect(
          new RegExp(`(^|[\\s,\\[])${flag.replace(/-/g, '\\-')}([\\s,=\\]]|$)`, 'm').test(help),
          `${program} ${flag}`,
        ).toBe(true);
      }
    }
  });

  it('share the results claim between the run and the merge, and read the scenarios from the same ConfigMap', () => {
    const volumeAt = (pod: PodSpec, container: Container, path: string) => {
      const mount = container.volumeMounts?.find((m) => m.mountPath === path);
      return { mount, volume: pod.volumes?.find((v) => v.name === mount?.name) };
    };
    const run = parseBatchArgs(invocation(CLIENT).args.map((arg) => expand(arg, { JOB_COMPLETION_INDEX: '0' })));
    const runResults = volumeAt(RUN_POD, CLIENT, run.outputDir);
    const mergeResults = volumeAt(MERGE.template.spec, MERGER, run.outputDir);
    expect(runResults.volume?.persistentVolumeClaim?.claimName).toBe('scenario-batch-results');
    expect(mergeResults.volume?.persistentVolumeClaim?.claimName).toBe('scenario-batch-results');
    expect(runResults.mount?.readOnly ?? false).toBe(false);
    expect(mergeResults.mount?.readOnly ?? false).toBe(false);
    find('PersistentVolumeClaim', 'scenario-batch-results');
    const runScenarios = volumeAt(RUN_POD, CLIENT, run.scenarioDir as string);
    const mergeScenarios = volumeAt(MERGE.template.spec, MERGER, run.scenarioDir as string);
    expect(runScenarios.volume?.configMap?.name).toBe('scenario-batch-scenarios');
    expect(mergeScenarios.volume?.configMap?.name).toBe('scenario-batch-scenarios');
    // Every remote() of the scenarios uses the sidecar's socket, shared through an emptyDir.
    const socket = SIDECAR.args?.[(SIDECAR.args?.indexOf('--socket') ?? 0) + 1] as string;
    const data = find('ConfigMap', 'scenario-batch-scenarios').data as Record<string, string>;
    const remotes = Object.values(data).flatMap((text) => [...text.matchAll(/remote\("([^"]*)"/g)].map((m) => m[1]));
    expect(remotes.length).toBeGreaterThan(0);
    expect(new Set(remotes)).toEqual(new Set([socket]));
    const ipc = volumeAt(RUN_POD, SIDECAR, '/ipc');
    expect(ipc.volume?.emptyDir).toBeDefined();
    expect(volumeAt(RUN_POD, CLIENT, '/ipc').mount?.name).toBe(ipc.mount?.name);
    expect(SIDECAR.startupProbe?.exec?.command).toEqual([
      'scenario_execution_server',
      '--check',
      socket,
      '--timeout',
      '2',
    ]);
  });

  it('fail an index without retry when its scenario failed (exit status 1), the Job on a usage mistake (2)', () => {
    expect(RUN_POD.restartPolicy).toBe('Never');
    expect(RUN.backoffLimitPerIndex).toBeGreaterThanOrEqual(0);
    const rules = RUN.podFailurePolicy?.rules ?? [];
    const onExit = (action: string) =>
      rules.find((rule) => rule.action === action && rule.onExitCodes?.containerName === CLIENT.name)?.onExitCodes;
    expect(onExit('FailIndex')).toEqual({ containerName: CLIENT.name, operator: 'In', values: [1] });
    expect(onExit('FailJob')).toEqual({ containerName: CLIENT.name, operator: 'In', values: [2] });
    expect(rules.find((rule) => rule.action === 'Ignore')?.onPodConditions).toEqual([
      { type: 'DisruptionTarget', status: 'True' },
    ]);
  });
});

interface Exited {
  readonly code: number | string;
  readonly output: string;
}

function start(
  program: string,
  args: readonly string[],
  cwd: string,
): { child: ChildProcess; exited: Promise<Exited> } {
  const child = spawn(process.execPath, [PROGRAMS[program] as string, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<Exited>((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? (signal as string), output }));
  });
  return { child, exited };
}

function run(program: string, args: readonly string[], cwd: string): Promise<Exited> {
  return new Promise((resolve) => {
    execFile(process.execPath, [PROGRAMS[program] as string, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

const started: ChildProcess[] = [];
const cleanups: (() => void)[] = [];
beforeAll(requireBuild);
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A ConfigMap volume as kubelet lays it out: the files in a timestamped folder, `..data` and one link per key. */
function mountConfigMap(dir: string, data: Readonly<Record<string, string>>): void {
  const stamp = '..2026_12_01_12_00_00.000000001';
  mkdirSync(join(dir, stamp));
  for (const [key, text] of Object.entries(data)) writeFileSync(join(dir, stamp, key), text);
  symlinkSync(stamp, join(dir, '..data'));
  for (const key of Object.keys(data)) symlinkSync(join('..data', key), join(dir, key));
}

describe('the Indexed Job and the merge, acted out', SPAWNING, () => {
  it('every index runs its scenario beside its sidecar into the shared results; the merge combines them', async () => {
    const root = tempDir('se-k8s-batch-');
    cleanups.push(root.remove);
    const results = join(root.path, 'results');
    mkdirSync(results);
    const data = find('ConfigMap', 'scenario-batch-scenarios').data as Record<string, string>;

    /** One pod of the Job: its own /ipc and /scenarios folders, the shared /results. */
    const pod = async (index: number): Promise<{ client: Exited; server: Exited; scenarios: string }> => {
      const podDir = join(root.path, `pod-${index}`);
      const mounts = new Map<string, string>([
        ['/ipc', join(podDir, 'ipc')],
        ['/scenarios', join(podDir, 'scenarios')],
        ['/results', results],
      ]);
      for (const dir of [podDir, join(podDir, 'ipc'), join(podDir, 'scenarios')]) mkdirSync(dir);
      /** `text` with each mount path replaced by its folder here. */
      const local = (text: string) => {
        let result = text;
        for (const [mountPath, dir] of mounts) {
          result = result === mountPath ? dir : result.split(`${mountPath}/`).join(`${dir}/`);
        }
        return result;
      };
      const localData = Object.fromEntries(Object.entries(data).map(([key, text]) => [key, local(text)]));
      mountConfigMap(mounts.get('/scenarios') as string, localData);
      for (const container of [SIDECAR, CLIENT]) {
        for (const mount of container.volumeMounts ?? [])
          expect(mounts.has(mount.mountPath), mount.mountPath).toBe(true);
      }

      const sidecar = invocation(SIDECAR);
      const server = start(sidecar.program, sidecar.args.map(local), mounts.get('/ipc') as string);
      started.push(server.child);
      const probe = (SIDECAR.startupProbe?.exec?.command ?? []).map(local);
      let ready = false;
      for (let i = 0; i < 60 && !ready; i++) {
        ready = (await run(probe[0] as string, probe.slice(1), mounts.get('/ipc') as string)).code === 0;
        if (!ready) await sleep(200);
      }
      expect(ready).toBe(true);

      const client = invocation(CLIENT);
      const env = { JOB_COMPLETION_INDEX: String(index) };
      const clientResult = await run(
        client.program,
        client.args.map((arg) => local(expand(arg, env))),
        mounts.get('/scenarios') as string,
      );
      // The main container is done: kubelet stops the sidecar.
      server.child.kill('SIGTERM');
      return { client: clientResult, server: await server.exited, scenarios: mounts.get('/scenarios') as string };
    };

    const completions = RUN.completions as number;
    const pods = await Promise.all(Array.from({ length: completions }, (_, index) => pod(index)));
    const keys = scenarioKeys(RUN_POD, CLIENT, '/scenarios');
    const names = keys.map((key) => key.replace(/\.(osc|sce)$/, ''));
    pods.forEach(({ client, server }, index) => {
      expect(client.code, client.output).toBe(0);
      expect(client.output).toContain(`### For scenario `);
      expect(client.output).toContain(`/${keys[index]}, executing process:`);
      expect(server.code, server.output).toBe(0);
    });
    // Each index wrote its scenario's folder, nothing else.
    expect(readdirSync(results).sort()).toEqual([...names].sort());
    const remoteIndex = keys.findIndex((key) => data[key]?.includes('remote('));
    expect(readFileSync(join(results, names[remoteIndex] as string, `${names[remoteIndex]}.log`), 'utf8')).toMatch(
      /\] Linux /,
    );

    // The merge Job, with the same ConfigMap mounted.
    const mergeDir = join(root.path, 'merge-scenarios');
    mkdirSync(mergeDir);
    mountConfigMap(mergeDir, data);
    const merge = invocation(MERGER);
    const mergeArgs = merge.args.map((arg) => (arg === '/results' ? results : arg === '/scenarios' ? mergeDir : arg));
    const merged = await run(merge.program, mergeArgs, root.path);
    expect(merged.code, merged.output).toBe(0);
    const combined = readFileSync(join(results, 'test.xml'), 'utf8');
    expect([...combined.matchAll(/<testcase [^>]*name="([^"]+)"/g)].map((m) => m[1])).toEqual(names);
    expect(combined).toContain(`<testsuite errors="0" failures="0" `);
    expect(readFileSync(join(results, 'report.html'), 'utf8')).toContain(`${names.length} passed`);

    // A pod that wrote nothing (say, evicted for good): the merge names the scenario and fails.
    const lost = names[0] as string;
    rmSync(join(results, lost, 'test.xml'));
    const withLoss = await run(merge.program, mergeArgs, root.path);
    expect(withLoss.code).toBe(1);
    expect(readFileSync(join(results, 'test.xml'), 'utf8')).toContain(
      `expected file ${results}/${lost}/test.xml not found`,
    );
    expect(await pollUntil(() => started.every((child) => child.exitCode !== null || child.signalCode !== null))).toBe(
      true,
    );
  });
});
