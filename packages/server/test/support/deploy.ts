/** Reading the deployment artefacts of `deploy/` for tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
export const DEPLOY = join(REPO, 'deploy');
export const KUBERNETES = join(DEPLOY, 'kubernetes');
export const CONTAINERFILE = join(DEPLOY, 'container', 'Containerfile');
export const UNIT_FILE = join(DEPLOY, 'systemd', 'scenario-execution-server.service');

/** A Kubernetes object as written (only the fields the tests look at are typed). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

export interface Manifest {
  /** File name in deploy/kubernetes. */
  readonly file: string;
  /** Index of the document in the file. */
  readonly index: number;
  readonly object: K8sObject;
}

/** The YAML files of deploy/kubernetes. */
export function manifestFiles(): string[] {
  return readdirSync(KUBERNETES)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

/**
 * Every document of a YAML file, parsed as Kubernetes parses it (YAML 1.1)
 * and, to catch scalars the two versions read differently (`0440`, `yes`,
 * `on`), as YAML 1.2 too: the two must agree. Throws on any YAML error.
 */
export function parseYamlFile(path: string): unknown[] {
  const text = readFileSync(path, 'utf8');
  const read = (version: '1.1' | '1.2') =>
    parseAllDocuments(text, { version, uniqueKeys: true, prettyErrors: true }).map((document) => {
      if (document.errors.length > 0) throw new Error(`${path}: ${document.errors.map((e) => e.message).join('; ')}`);
      return document.toJS() as unknown;
    });
  const asKubernetes = read('1.1');
  const modern = read('1.2');
  if (JSON.stringify(asKubernetes) !== JSON.stringify(modern)) {
    throw new Error(`${path}: YAML 1.1 and 1.2 read it differently (an octal or boolean-like scalar?)`);
  }
  return asKubernetes;
}

/** Every Kubernetes object in deploy/kubernetes (the kustomization excluded). */
export function kubernetesObjects(): Manifest[] {
  const manifests: Manifest[] = [];
  for (const file of manifestFiles()) {
    if (file === 'kustomization.yaml') continue;
    parseYamlFile(join(KUBERNETES, file)).forEach((object, index) => {
      manifests.push({ file, index, object: object as K8sObject });
    });
  }
  return manifests;
}

/** The one object of `kind` named `name`. */
export function findObject(kind: string, name: string): K8sObject {
  const found = kubernetesObjects().filter((m) => m.object.kind === kind && m.object.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return (found[0] as Manifest).object;
}

/** A container of a pod template, as the tests read it. */
export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  readonly restartPolicy?: string;
  readonly ports?: { name?: string; containerPort: number; hostPort?: number }[];
  readonly volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  readonly startupProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  readonly securityContext?: Record<string, unknown>;
}

export interface Probe {
  readonly exec?: { command: string[] };
}

export interface PodSpec {
  readonly containers: Container[];
  readonly initContainers?: Container[];
  readonly volumes?: {
    name: string;
    emptyDir?: Record<string, unknown>;
    configMap?: { name: string };
    secret?: { secretName: string; defaultMode?: number; items?: { key: string; path: string }[] };
    persistentVolumeClaim?: { claimName: string };
  }[];
  readonly securityContext?: Record<string, unknown>;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly restartPolicy?: string;
}

/** The pod spec of a Job or DaemonSet. */
export function podSpec(object: K8sObject): PodSpec {
  const spec = object.spec as { template: { spec: PodSpec } };
  return spec.template.spec;
}

/**
 * The instructions of a Containerfile, continuation lines joined:
 * `{ instruction: 'RUN', text: '…', stage }` (stage: the name of its `FROM … AS`).
 */
export function containerfileInstructions(): { instruction: string; text: string; stage: string }[] {
  const joined = readFileSync(CONTAINERFILE, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const result: { instruction: string; text: string; stage: string }[] = [];
  let stage = '';
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = match[1] as string;
    const text = (match[2] as string).trim();
    if (instruction === 'FROM') stage = /\bAS\s+(\S+)/i.exec(text)?.[1] ?? '';
    result.push({ instruction, text, stage });
  }
  return result;
}

/** `[Section]` → key → values (a key may repeat) of a systemd unit file. */
export function unitFile(): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of readFileSync(UNIT_FILE, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1] as string, current);
      continue;
    }
    const at = line.indexOf('=');
    if (current === undefined || at < 0) throw new Error(`${UNIT_FILE}: unexpected line: ${line}`);
    const key = line.slice(0, at);
    current.set(key, [...(current.get(key) ?? []), line.slice(at + 1)]);
  }
  return sections;
}

/**
 * Split a shell command line into words: single and double quotes, `$(…)`
 * kept as one word. Enough for the commands our artefacts write.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] as string;
    if (char === "'" || char === '"') {
      const end = line.indexOf(char, i + 1);
      if (end < 0) throw new Error(`unbalanced quote in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The model module and interface of a Kubernetes object, e.g. `kubernetes-models/apps/v1/DaemonSet`, `IDaemonSet`. */
export function modelOf(object: K8sObject): { module: string; type: string } {
  return { module: `kubernetes-models/${object.apiVersion}/${object.kind}`, type: `I${object.kind}` };
}

/**
 * Type errors of `objects` as literals of their kubernetes-models types (unknown
 * fields included), compiled in memory as if they were the TypeScript file
 * `scratchFile` (never written; its folder decides how `kubernetes-models` resolves).
 */
export function kubernetesTypeErrors(objects: readonly K8sObject[], scratchFile: string): string[] {
  const file = scratchFile;
  const text = objects
    .map((object, i) => {
      const { module, type } = modelOf(object);
      return `import type { ${type} as T${i} } from '${module}';\nexport const m${i}: T${i} = ${JSON.stringify(object, null, 2)};\n`;
    })
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? text : readFile(name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (diagnostic.file === undefined || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `line ${line + 1}: ${message}`;
  });
}
