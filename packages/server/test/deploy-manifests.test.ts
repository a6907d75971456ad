/**
 * The deployment artefacts of `deploy/`, checked statically (no container
 * runtime or cluster works on these machines):
 *
 * - every Kubernetes manifest parses (as YAML 1.1, as Kubernetes reads it, and
 *   the same as YAML 1.2), validates against the Kubernetes API schema
 *   (`kubernetes-models`), and has no field the API does not know (the
 *   models' TypeScript types, checked by the compiler, which rejects unknown
 *   properties);
 * - the sidecar pod's volume, mounts, socket path and example scenario agree;
 * - the DaemonSet's keys, probes, ports, security and NetworkPolicy agree;
 * - every invocation of our commands in the Containerfile, the manifests and
 *   the systemd unit parses, and uses only flags our `--help` lists.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { curveKeyPair } from 'zeromq';
import { HELP, PROGRAM, parseServerArgs } from '../src/cli-args.js';
import {
  type Container,
  containerfileInstructions,
  findObject,
  type K8sObject,
  KUBERNETES,
  kubernetesObjects,
  kubernetesTypeErrors,
  manifestFiles,
  modelOf,
  type PodSpec,
  parseYamlFile,
  podSpec,
  REPO,
  shellWords,
  unitFile,
} from './support/deploy.js';

/** Where the in-memory type check of the manifests pretends to be (never written). */
const SCRATCH_FILE = join(REPO, 'packages/server/test/__deploy_manifests__.ts');

const CLIENT = 'scenario_execution';
const CLIENT_BIN = join(REPO, 'packages/scenario-execution/bin/scenario_execution.js');

/** What each image runs: the ENTRYPOINT of each Containerfile stage, by image name in the manifests. */
const IMAGE_ENTRYPOINTS: Readonly<Record<string, string>> = {
  'scenario-execution-server': PROGRAM,
  'scenario-execution': CLIENT,
};

/** A program and its arguments, as an artefact starts it. */
interface Invocation {
  readonly where: string;
  readonly program: string;
  readonly args: readonly string[];
}

/** The program and arguments of a container: its command, else its image's ENTRYPOINT. */
function containerInvocation(where: string, container: Container): Invocation {
  const image = container.image.split(':')[0] as string;
  const command = container.command ?? [IMAGE_ENTRYPOINTS[image] ?? `unknown image ${image}`];
  const [program, ...rest] = command;
  return { where, program: program as string, args: [...rest, ...(container.args ?? [])] };
}

/** The invocations in an exec command: itself, or the command line of `sh -c "…"` (after an `exec`). */
function execInvocations(where: string, command: readonly string[]): Invocation[] {
  if ((command[0] === 'sh' || command[0] === '/bin/sh') && command[1] === '-c') {
    const words = shellWords(command[2] as string);
    if (words[0] === 'exec') words.shift();
    return [{ where, program: words[0] as string, args: words.slice(1) }];
  }
  return [{ where, program: command[0] as string, args: command.slice(1) }];
}

function podInvocations(name: string, spec: PodSpec): Invocation[] {
  const found: Invocation[] = [];
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
    const where = `${name}/${container.name}`;
    found.push(containerInvocation(where, container));
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      if (probe?.exec) found.push(...execInvocations(`${where} probe`, probe.exec.command));
    }
  }
  return found;
}

function manifestInvocations(): Invocation[] {
  return [
    ...podInvocations('Job scenario-sidecar-example', podSpec(findObject('Job', 'scenario-sidecar-example'))),
    ...podInvocations(
      'DaemonSet scenario-execution-server',
      podSpec(findObject('DaemonSet', 'scenario-execution-server')),
    ),
  ];
}

function containerfileInvocations(): Invocation[] {
  const found: Invocation[] = [];
  const env = new Map<string, string>();
  const entrypoints = new Map<string, string[]>();
  const json = (text: string) => JSON.parse(text) as string[];
  for (const { instruction, text, stage } of containerfileInstructions()) {
    if (instruction === 'ENV') {
      const [key, value] = text.split('=', 2) as [string, string];
      env.set(key, value);
    } else if (instruction === 'ENTRYPOINT') {
      entrypoints.set(stage, json(text));
    } else if (instruction === 'CMD') {
      const [program, ...args] = [...(entrypoints.get(stage) ?? []), ...json(text)];
      found.push({ where: `Containerfile ${stage} CMD`, program: program as string, args });
    } else if (instruction === 'HEALTHCHECK') {
      const line = text.slice(text.indexOf('CMD ') + 4).replace(/"\$(\w+)"/g, (_, name: string) => env.get(name) ?? '');
      const [program, ...args] = shellWords(line);
      found.push({ where: `Containerfile ${stage} HEALTHCHECK`, program: program as string, args });
    }
  }
  return found;
}

function unitInvocations(): Invocation[] {
  const found: Invocation[] = [];
  // Commented alternatives too: they are meant to be used.
  for (const line of readFileSync(join(REPO, 'deploy/systemd/scenario-execution-server.service'), 'utf8').split('\n')) {
    const match = /^#?(Exec\w+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [program, ...args] = shellWords(match[2] as string);
    found.push({ where: `unit ${match[1]}`, program: posix.basename(program as string), args });
  }
  return found;
}

/**
 * `$(…)` in a probe stands for a key read from a file at run time: a Z85 key,
 * here one that starts with '-', as one key in 85 does.
 */
function withKeysFilledIn(args: readonly string[]): string[] {
  const key = `-${curveKeyPair().publicKey.slice(1)}`;
  return args.map((arg) => (arg.startsWith('$(') ? key : arg));
}

describe('Kubernetes manifests', () => {
  const manifests = kubernetesObjects();

  it('parse, and hold the objects the deployment needs', () => {
    const kinds = manifests.map((m) => `${m.object.kind} ${m.object.metadata.name}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Job scenario-sidecar-example',
        'ConfigMap scenario-sidecar-example',
        'DaemonSet scenario-execution-server',
        'NetworkPolicy scenario-execution-server',
        'Service scenario-execution-server',
        'Service scenario-execution-server-local',
        'Namespace scenario-execution',
        'Namespace scenario-tests',
        'Secret scenario-execution-server-keys',
        'Secret scenario-execution-client-keys',
      ]),
    );
    for (const { object } of manifests) {
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toMatch(/^scenario-(execution|tests)$/);
    }
  });

  it('validate against the Kubernetes API schema', async () => {
    for (const { file, index, object } of manifests) {
      const { module } = modelOf(object);
      const models = (await import(module)) as Record<string, new (data: unknown) => { validate(): void }>;
      const Model = models[object.kind];
      expect(Model, `${file}#${index}: no model ${module}`).toBeDefined();
      expect(
        () => new (Model as new (data: unknown) => { validate(): void })(object).validate(),
        `${file}#${index}`,
      ).not.toThrow();
    }
  });

  it('the schema validation catches a wrong value (the check is not vacuous)', async () => {
    const { Job } = await import('kubernetes-models/batch/v1/Job');
    const job = structuredClone(findObject('Job', 'scenario-sidecar-example')) as unknown as {
      spec: { template: { spec: { restartPolicy: string } } };
    };
    job.spec.template.spec.restartPolicy = 'Sometimes';
    expect(() => new Job(job as never).validate()).toThrow(/restartPolicy/);
  });

  it('use no field the Kubernetes API does not know', () => {
    expect(
      kubernetesTypeErrors(
        manifests.map((m) => m.object),
        SCRATCH_FILE,
      ),
    ).toEqual([]);
    // The same check, on a typo: it is caught.
    const job = structuredClone(findObject('Job', 'scenario-sidecar-example')) as unknown as {
      spec: { template: { spec: { initContainers: Record<string, unknown>[] } } };
    };
    (job.spec.template.spec.initContainers[0] as Record<string, unknown>).restartPolicyy = 'Always';
    expect(kubernetesTypeErrors([job as unknown as K8sObject], SCRATCH_FILE).join('\n')).toMatch(/restartPolicyy/);
  });

  it('are all in the kustomization, which names existing files and both images', () => {
    const [kustomization] = parseYamlFile(join(KUBERNETES, 'kustomization.yaml')) as {
      apiVersion: string;
      kind: string;
      resources: string[];
      images: { name: string }[];
    }[];
    expect(kustomization?.kind).toBe('Kustomization');
    expect(kustomization?.apiVersion).toBe('kustomize.config.k8s.io/v1beta1');
    for (const resource of kustomization?.resources ?? []) expect(existsSync(join(KUBERNETES, resource))).toBe(true);
    const expected = manifestFiles().filter((f) => f !== 'kustomization.yaml' && !f.endsWith('.example.yaml'));
    expect([...(kustomization?.resources ?? [])].sort()).toEqual(expected);
    expect(kustomization?.images.map((image) => image.name).sort()).toEqual(Object.keys(IMAGE_ENTRYPOINTS).sort());
  });

  it('run every pod as a non-root user, without privileges, with resource requests and limits', () => {
    for (const { file, object } of manifests) {
      if (object.kind !== 'Job' && object.kind !== 'DaemonSet') continue;
      const spec = podSpec(object);
      expect(spec.securityContext, file).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.hostNetwork ?? false).toBe(false);
      expect(spec.hostPID ?? false).toBe(false);
      for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
        expect(container.securityContext, container.name).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(Object.keys(container.resources?.requests ?? {}).sort(), container.name).toEqual(['cpu', 'memory']);
        expect(Object.keys(container.resources?.limits ?? {}).sort(), container.name).toEqual(['cpu', 'memory']);
        for (const port of container.ports ?? []) expect(port.hostPort).toBeUndefined();
      }
      for (const volume of spec.volumes ?? []) {
        if (volume.secret?.defaultMode !== undefined) expect(volume.secret.defaultMode).toBeLessThanOrEqual(0o777);
      }
    }
  });
});

describe('the sidecar Job', () => {
  const job = findObject('Job', 'scenario-sidecar-example');
  const spec = podSpec(job);
  const sidecar = spec.initContainers?.[0] as Container;
  const client = spec.containers[0] as Container;

  it('runs the server as a native sidecar and the scenario client as its one container', () => {
    expect(spec.initContainers).toHaveLength(1);
    expect(sidecar.restartPolicy).toBe('Always');
    expect(containerInvocation('sidecar', sidecar).program).toBe(PROGRAM);
    expect(spec.containers).toHaveLength(1);
    expect(containerInvocation('client', client).program).toBe(CLIENT);
    expect(spec.restartPolicy).toBe('Never');
  });

  it('shares /ipc between the two through an emptyDir, where the server listens with mode 0660 and the scenario connects', () => {
    const parsed = parseServerArgs(sidecar.args ?? []);
    expect(parsed.kind).toBe('run');
    if (parsed.kind !== 'run') return;
    expect(parsed.args.socket).toBe('/ipc/se.sock');
    expect(parsed.args.socketMode).toBe(0o660);
    const socketDir = posix.dirname(parsed.args.socket as string);
    const mountOf = (container: Container) => container.volumeMounts?.find((m) => m.mountPath === socketDir);
    const serverMount = mountOf(sidecar);
    const clientMount = mountOf(client);
    expect(serverMount?.name).toBeDefined();
    expect(clientMount?.name).toBe(serverMount?.name);
    expect(clientMount?.readOnly ?? false).toBe(false);
    const volume = spec.volumes?.find((v) => v.name === serverMount?.name);
    expect(volume?.emptyDir).toBeDefined();
    // The socket is shared through the group: both containers run in the pod's group.
    expect(spec.securityContext).toMatchObject({ runAsGroup: 10001, fsGroup: 10001 });

    // The scenario the client runs comes from the ConfigMap, and connects to that socket.
    const scenarioPath = client.args?.find((arg) => arg.endsWith('.osc')) as string;
    const scenarioMount = client.volumeMounts?.find((m) => scenarioPath.startsWith(`${m.mountPath}/`));
    const configMapName = spec.volumes?.find((v) => v.name === scenarioMount?.name)?.configMap?.name;
    expect(configMapName).toBeDefined();
    const configMap = findObject('ConfigMap', configMapName as string);
    expect(configMap.metadata.namespace).toBe(job.metadata.namespace);
    const key = posix.relative(scenarioMount?.mountPath as string, scenarioPath);
    const scenario = (configMap.data as Record<string, string>)[key] as string;
    expect(scenario).toContain(`remote("${parsed.args.socket}")`);
    expect(scenario).toMatch(/^import osc\.remote$/m);
    // Every remote() of the scenario uses that socket.
    expect([...scenario.matchAll(/remote\("([^"]*)"/g)].map((match) => match[1])).toEqual([parsed.args.socket]);
  });

  it('holds the client back until the server answers: a startupProbe with --check on the socket', () => {
    const probe = sidecar.startupProbe?.exec?.command ?? [];
    const [invocation] = execInvocations('startupProbe', probe);
    expect(invocation?.program).toBe(PROGRAM);
    const parsed = parseServerArgs(invocation?.args ?? []);
    expect(parsed).toMatchObject({ kind: 'check', request: { address: 'ipc:///ipc/se.sock' } });
  });
});

describe('the DaemonSet', () => {
  const daemonSet = findObject('DaemonSet', 'scenario-execution-server');
  const spec = podSpec(daemonSet);
  const server = spec.containers[0] as Container;
  const parsed = parseServerArgs(server.args ?? []);
  const args = parsed.kind === 'run' ? parsed.args : undefined;

  it('runs persistent CURVE servers that admit listed client keys, with metrics', () => {
    expect(containerInvocation('server', server).program).toBe(PROGRAM);
    expect(args).toMatchObject({ persistent: true, watchdog: 0, connectTimeout: 0, logFormat: 'json' });
    expect(args?.actionTimeout).toBeGreaterThan(0);
    expect(args?.metrics).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(server.ports?.map((p) => p.containerPort).sort()).toEqual([args?.port, 9464].sort());
  });

  it('mounts the key files the flags name from Secrets', () => {
    const mounted = (path: string) => {
      const mount = server.volumeMounts?.find((m) => path === m.mountPath || path.startsWith(`${m.mountPath}/`));
      const volume = spec.volumes?.find((v) => v.name === mount?.name);
      return { mount, volume, relative: posix.relative(mount?.mountPath ?? '/', path) };
    };
    const key = mounted(args?.curveSecretKeyFile as string);
    expect(key.volume?.secret?.secretName).toBe('scenario-execution-server-keys');
    expect(key.volume?.secret?.items?.map((item) => item.path)).toContain(key.relative);
    const clients = mounted(args?.curveAuthorizedKeys as string);
    expect(clients.volume?.secret?.secretName).toBe('scenario-execution-client-keys');
    expect(clients.relative).toBe('');
    for (const mount of server.volumeMounts ?? []) expect(mount.readOnly).toBe(true);
    // The example Secrets hold what the volumes pick.
    const serverKeys = findObject('Secret', 'scenario-execution-server-keys');
    for (const item of key.volume?.secret?.items ?? []) {
      expect(Object.keys(serverKeys.stringData as object)).toContain(item.key);
    }
  });

  it('probes readiness and liveness with an encrypted --check of its own port, showing a mounted client key', () => {
    for (const probe of [server.readinessProbe, server.livenessProbe]) {
      const [invocation] = execInvocations('probe', probe?.exec?.command ?? []);
      expect(invocation?.program).toBe(PROGRAM);
      const check = parseServerArgs(withKeysFilledIn(invocation?.args ?? []));
      expect(check).toMatchObject({ kind: 'check', request: { address: `tcp://127.0.0.1:${args?.port}` } });
      if (check.kind !== 'check') continue;
      expect(check.request.serverPublicKey).toBeDefined();
      const keyFile = check.request.clientKeyFile as string;
      const mount = server.volumeMounts?.find((m) => keyFile.startsWith(`${m.mountPath}/`));
      const items = spec.volumes?.find((v) => v.name === mount?.name)?.secret?.items ?? [];
      expect(items.map((item) => item.path)).toContain(posix.basename(keyFile));
      expect(probe?.exec?.command.join(' ')).toContain(`$(cat ${dirname(keyFile)}/server.pub)`);
    }
  });

  it('is reached from the test namespace only, its metrics from monitoring only', () => {
    const policy = findObject('NetworkPolicy', 'scenario-execution-server');
    const labels = (daemonSet.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata
      .labels;
    const policySpec = policy.spec as {
      podSelector: { matchLabels: Record<string, string> };
      policyTypes: string[];
      ingress: { from: { namespaceSelector?: { matchLabels: Record<string, string> } }[]; ports: { port: number }[] }[];
    };
    expect(policy.metadata.namespace).toBe(daemonSet.metadata.namespace);
    expect(labels).toMatchObject(policySpec.podSelector.matchLabels);
    expect(policySpec.policyTypes).toEqual(['Ingress']);
    const admitted = policySpec.ingress.map((rule) => ({
      namespaces: rule.from.map((peer) => peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name']),
      ports: rule.ports.map((port) => port.port),
    }));
    expect(admitted).toEqual([
      { namespaces: ['scenario-tests'], ports: [args?.port] },
      { namespaces: ['monitoring'], ports: [9464] },
    ]);
    for (const name of ['scenario-execution-server', 'scenario-execution-server-local']) {
      const service = findObject('Service', name).spec as { selector: Record<string, string> };
      expect(labels).toMatchObject(service.selector);
    }
  });
});

describe('the Containerfile', () => {
  const instructions = containerfileInstructions();
  const stages = new Map<string, string>();
  for (const { instruction, text, stage } of instructions) if (instruction === 'FROM') stages.set(stage, text);

  it('builds multi-stage from Node 20 slim, compiling se-spawner with gcc, keeping production dependencies only', () => {
    expect([...stages.keys()]).toEqual(['build', 'deps', 'runtime', 'client', 'server']);
    const argDefault = instructions.find((i) => i.instruction === 'ARG' && i.text.startsWith('NODE_IMAGE='))?.text;
    expect(argDefault).toMatch(/^NODE_IMAGE=\S*node:20-[a-z]+-slim$/);
    const runs = (stage: string) =>
      instructions.filter((i) => i.stage === stage && i.instruction === 'RUN').map((i) => i.text);
    expect(runs('build').join('\n')).toMatch(/apt-get install .*\bgcc\b/);
    expect(runs('build').join('\n')).toContain('test -x packages/scenario-execution/dist/native/se-spawner');
    expect(runs('deps').join('\n')).toMatch(/npm ci --omit=dev/);
    // The runtime takes node_modules from the production-only stage, never from the build.
    const copies = instructions.filter((i) => i.stage === 'runtime' && i.instruction === 'COPY').map((i) => i.text);
    expect(copies.filter((text) => text.includes('node_modules'))).toEqual([]);
    expect(copies.filter((text) => text.startsWith('--from=deps'))).toHaveLength(1);
    expect(
      copies.every(
        (text) =>
          /--from=build \/src\/packages\/[a-z-]+\/(dist|bin|osc)\/ /.test(text) || text.startsWith('--from=deps'),
      ),
    ).toBe(true);
  });

  it('runs as a non-root user, server by default, with a HEALTHCHECK using --check', () => {
    const users = instructions.filter((i) => i.instruction === 'USER').map((i) => i.text);
    expect(users).toEqual(['10001:10001']);
    const entrypoint = (stage: string) =>
      instructions.find((i) => i.stage === stage && i.instruction === 'ENTRYPOINT')?.text;
    expect(entrypoint('server')).toBe(JSON.stringify([PROGRAM]));
    expect(entrypoint('client')).toBe(JSON.stringify([CLIENT]));
    expect([...stages.keys()].at(-1)).toBe('server');
    const healthcheck = containerfileInvocations().find((i) => i.where.endsWith('HEALTHCHECK'));
    expect(healthcheck?.program).toBe(PROGRAM);
    expect(healthcheck?.args[0]).toBe('--check');
    // The default command listens where the HEALTHCHECK looks.
    const cmd = containerfileInvocations().find((i) => i.where === 'Containerfile server CMD');
    const run = parseServerArgs(cmd?.args ?? []);
    const check = parseServerArgs(healthcheck?.args ?? []);
    expect(run.kind === 'run' && `ipc://${run.args.socket}`).toBe(check.kind === 'check' && check.request.address);
  });

  it('copies only what exists, and what its ignore file lets through', () => {
    const ignore = readFileSync(join(REPO, 'deploy/container/Containerfile.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));
    // A path is admitted when a pattern covers it, or (a folder) when a pattern lies within it.
    const admitted = (path: string) =>
      ignore.some((pattern) => {
        const want = pattern.split('/');
        const have = path.split('/');
        const same = (a: string, b: string) => a === '*' || b === '*' || a === b;
        const n = Math.min(want.length, have.length);
        return want.slice(0, n).every((part, k) => same(part, have[k] as string));
      });
    for (const { instruction, text } of instructions) {
      if (instruction !== 'COPY' || text.startsWith('--from=')) continue;
      const sources = text.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(join(REPO, source)), source).toBe(true);
        expect(admitted(source.replace(/\/$/, '')), source).toBe(true);
      }
    }
  });
});

describe('the systemd unit', () => {
  const unit = unitFile();
  const service = unit.get('Service') ?? new Map<string, string[]>();
  const value = (key: string) => service.get(key)?.[0];

  it('runs a persistent server as a dedicated user, hardened, restarted on failure', () => {
    expect(value('User')).toBe('scenario-execution');
    expect(value('NoNewPrivileges')).toBe('yes');
    expect(value('ProtectSystem')).toBe('strict');
    expect(value('PrivateTmp')).toBe('yes');
    expect(value('Restart')).toBe('on-failure');
    expect(value('KillMode')).toBe('mixed');
    expect(Number(value('TimeoutStopSec'))).toBeGreaterThan(10);
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
    const [start] = unitInvocations();
    const parsed = parseServerArgs(start?.args ?? []);
    expect(parsed).toMatchObject({
      kind: 'run',
      args: { persistent: true, socket: '/run/scenario-execution/se.sock' },
    });
  });

  it('counts as started once --check gets an answer from the socket the server listens on', () => {
    const post = unitInvocations().find((i) => i.where === 'unit ExecStartPost');
    const check = parseServerArgs(post?.args ?? []);
    expect(check).toMatchObject({ kind: 'check', request: { address: 'ipc:///run/scenario-execution/se.sock' } });
    expect(value('RuntimeDirectory')).toBe('scenario-execution');
  });
});

describe('commands in the artefacts', () => {
  const invocations = [...containerfileInvocations(), ...manifestInvocations(), ...unitInvocations()];
  const clientHelp = execFileSync(process.execPath, [CLIENT_BIN, '--help'], { encoding: 'utf8' });

  it('are found: the Containerfile, the manifests and the unit each start both kinds', () => {
    const programs = new Set(invocations.map((i) => i.program));
    expect(programs).toEqual(new Set([PROGRAM, CLIENT]));
    expect(invocations.length).toBeGreaterThanOrEqual(10);
  });

  it('use only flags of our --help, and parse', () => {
    for (const { where, program, args } of invocations) {
      const flags = args.filter((arg) => arg.startsWith('-')).map((arg) => arg.split('=')[0] as string);
      const help = program === PROGRAM ? HELP : clientHelp;
      for (const flag of flags) {
        expect(
          new RegExp(`(^|[\\s,])${flag.replace(/[-]/g, '\\-')}([\\s,=]|$)`, 'm').test(help),
          `${where}: ${flag}`,
        ).toBe(true);
      }
      if (program === PROGRAM) {
        const parsed = parseServerArgs(withKeysFilledIn(args));
        expect(parsed.kind, `${where}: ${args.join(' ')}: ${parsed.kind === 'error' ? parsed.message : ''}`).not.toBe(
          'error',
        );
      }
    }
  });
});
