import { describe, expect, it } from 'vitest';
import { formatModel } from '../../src/model/index.js';
import { load } from './helpers.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

describe('formatModel', () => {
  it('lists declarations and the scenario as an indented tree', async () => {
    const model = await load(
      lines(
        'import osc.helpers',
        'struct inner:',
        '    a: int = 3',
        'scenario test:',
        '    p: inner',
        '    var counter: int = 0',
        '    event ev',
        '    do serial:',
        '        lbl: parallel:',
        '            log("a") with:',
        '                timeout(2s)',
        '            increment(counter)',
        '        wait elapsed(1s)',
        '        wait counter >= 2 and p.a == 3',
        '        emit ev',
      ),
    );
    const text = formatModel(model);
    expect(text).toContain('  time [s]: millisecond ×0.001, ms ×0.001, second, sec, s,');
    expect(text).toContain('  signal: sighup = 1, sigint = 2, sigkill = 9, sigusr1 = 10, sigusr2 = 12, sigterm = 15');
    expect(text).toContain(
      '  run_process(command: string, wait_for_shutdown: bool = true, shutdown_signal: signal = signal!sigterm, shutdown_timeout: time = 10s)',
    );
    const scenario = text.slice(text.indexOf('scenario test'));
    const tree = scenario
      .split('\n')
      .map((l) => l.replace(/ {2}\(.*:\d+:\d+\)$/, ''))
      .join('\n');
    expect(tree).toBe(
      [
        'scenario test',
        '  parameters:',
        '    p: inner = inner(a: 3)',
        '  variables:',
        '    /test/counter: int = 0',
        '  events:',
        '    ev [/test/ev]',
        '  do:',
        '    serial',
        '      lbl: parallel',
        '        log(msg: "a")',
        '            with timeout(duration: 2s)',
        '        increment(target_variable: var /test/counter)',
        '      wait elapsed(1s)',
        '      wait var /test/counter >= 2 and p.a == 3',
        '      emit ev [/test/ev]',
      ].join('\n'),
    );
    expect(scenario).toMatch(/log\(msg: "a"\) {2}\(.*test\.osc:10:13\)/);
  });
});
