import { describe, expect, it } from 'vitest';
import type { OscModel } from '../../src/model/index.js';
import { evaluateToWire } from '../../src/model/index.js';
import { load, MapStore } from './helpers.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

async function helpers(): Promise<OscModel> {
  return load(lines('import osc.helpers', 'import osc.robotics', 'import osc.standard', 'scenario test'));
}

function defaults(params: readonly { name: string; value: unknown }[]): Record<string, unknown> {
  return Object.fromEntries(
    params.map((p) => [p.name, p.value ? evaluateToWire(p.value as never, new MapStore()) : undefined]),
  );
}

describe('osc.helpers', () => {
  it('declares the signal enum with the Python member values', async () => {
    const model = await helpers();
    expect(model.declarations.enums.get('signal')!.members.map((m) => [m.name, m.value])).toEqual([
      ['sighup', 1],
      ['sigint', 2],
      ['sigkill', 9],
      ['sigusr1', 10],
      ['sigusr2', 12],
      ['sigterm', 15],
    ]);
  });

  it('declares the built-in actions with their parameters', async () => {
    const model = await helpers();
    const actions = model.declarations.actions;
    expect(actions.get('log')!.parameters.map((p) => p.name)).toEqual(['msg']);
    expect(actions.get('increment')!.parameters.map((p) => p.name)).toEqual(['target_variable']);
    expect(actions.get('decrement')!.parameters.map((p) => p.name)).toEqual(['target_variable']);
    expect(actions.get('compare')!.parameters.map((p) => p.name)).toEqual(['left_value', 'operator', 'right_value']);
    expect(defaults(actions.get('run_process')!.parameters)).toEqual({
      command: undefined,
      wait_for_shutdown: true,
      shutdown_signal: ['sigterm', 15],
      shutdown_timeout: 10,
    });
  });

  it('gives run_process the wire arguments of the protocol example', async () => {
    const model = await load(
      lines('import osc.helpers', 'scenario test:', '    do serial:', '        run_process("echo hello")'),
    );
    const root = model.scenario.behaviour[0];
    const node = root?.kind === 'composition' ? root.children[0] : undefined;
    if (node?.kind !== 'action') throw new Error('expected an action');
    expect(Object.fromEntries(node.args.map((a) => [a.name, evaluateToWire(a.value, new MapStore())]))).toEqual({
      command: 'echo hello',
      wait_for_shutdown: true,
      shutdown_signal: ['sigterm', 15],
      shutdown_timeout: 10,
    });
  });

  it('declares the ten built-in modifiers with the Python parameters and defaults', async () => {
    const model = await helpers();
    const mods = model.declarations.modifiers;
    expect([...mods.keys()].sort()).toEqual(
      [
        'failure_is_running',
        'failure_is_success',
        'inverter',
        'repeat',
        'retry',
        'running_is_failure',
        'running_is_success',
        'success_is_failure',
        'success_is_running',
        'timeout',
      ].sort(),
    );
    expect(defaults(mods.get('repeat')!.parameters)).toEqual({ count: -1 });
    expect(defaults(mods.get('retry')!.parameters)).toEqual({ count: undefined });
    expect(mods.get('timeout')!.parameters.map((p) => [p.name, p.type.kind])).toEqual([['duration', 'physical']]);
    expect(mods.get('inverter')!.parameters).toEqual([]);
  });

  it('declares the external methods of common and random with the Python module paths', async () => {
    const model = await helpers();
    const methods = (name: string) =>
      model.declarations.structs.get(name)!.methods.map((m) => [m.name, `${m.external.module}.${m.external.function}`]);
    expect(methods('common')).toEqual([
      ['get_scenario_file_directory', 'scenario_execution.external_methods.common.get_scenario_file_directory'],
      ['get_output_directory', 'scenario_execution.external_methods.common.get_output_directory'],
    ]);
    expect(methods('random')).toEqual([
      ['seed', 'scenario_execution.external_methods.random.seed'],
      ['get_float', 'scenario_execution.external_methods.random.get_float'],
      ['get_int', 'scenario_execution.external_methods.random.get_int'],
      ['get_random_string', 'scenario_execution.external_methods.random.get_random_list_element'],
    ]);
  });

  it('calls random.get_int through the external method hook (as test_external_methods_random)', async () => {
    const model = await load(
      lines(
        'import osc.helpers',
        'scenario test:',
        '    do serial:',
        '        wait elapsed(random.get_int(0, 5) * 1s)',
      ),
      { externalMethods: (module, fn) => (module.endsWith('.random') && fn === 'get_int' ? () => 3 : () => 'x') },
    );
    const root = model.scenario.behaviour[0];
    const wait = root?.kind === 'composition' ? root.children[0] : undefined;
    if (wait?.kind !== 'wait' || wait.condition.kind !== 'elapsed') throw new Error('expected wait elapsed');
    expect(evaluateToWire(wait.condition.duration, new MapStore())).toBe(3);
  });
});

describe('osc.types', () => {
  it('declares the physical types with SI exponents and the units with factors and offsets', async () => {
    const model = await helpers();
    const t = model.declarations.physicalTypes;
    expect(t.get('length')!.exponents).toEqual({ m: 1 });
    expect(t.get('speed')!.exponents).toEqual({ m: 1, s: -1 });
    expect(t.get('pressure')!.exponents).toEqual({ kg: 1, m: -1, s: -2 });
    expect(t.get('illuminance')!.exponents).toEqual({ cd: 1, rad: 2, m: -2 });
    const u = model.declarations.units;
    const unit = (name: string) => [u.get(name)!.physicalType.name, u.get(name)!.factor, u.get(name)!.offset];
    expect(unit('ms')).toEqual(['time', 0.001, 0]);
    expect(unit('kmph')).toEqual(['speed', 0.277777778, 0]);
    expect(unit('mile')).toEqual(['length', 1609.344, 0]);
    expect(unit('deg')).toEqual(['angle', 0.01745329252, 0]);
    expect(unit('celsius')).toEqual(['temperature', 1, 273.15]);
    expect(unit('F')).toEqual(['temperature', 0.555555556, 255.372222222]);
    expect(unit('atm')).toEqual(['pressure', 101325, 0]);
    expect(u.size).toBe(84);
    expect(t.size).toBe(16);
  });

  it('declares the structs and the robot actor', async () => {
    const model = await helpers();
    const s = model.declarations.structs;
    expect(s.get('position_3d')!.base?.name).toBe('position');
    expect(s.get('pose_3d')!.fields.map((f) => f.name)).toEqual(['position', 'orientation']);
    expect(defaults(s.get('key_value')!.fields)).toEqual({ key: undefined, value: '' });
    expect(s.get('robot')).toMatchObject({ kind: 'actor', base: { name: 'osc_actor' } });
  });
});
