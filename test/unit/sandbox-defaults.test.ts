import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { SANDBOX_DEFAULT_ADDRESS } from '../../src/sandbox/index.js';

describe('sandbox default address', () => {
  it('is 127.0.0.1:4010', () => {
    expect(SANDBOX_DEFAULT_ADDRESS).toEqual({ host: '127.0.0.1', port: 4010, url: 'http://127.0.0.1:4010' });
  });

  it('is what `sandbox start` listens on and `sandbox complete` talks to by default', () => {
    const program = buildProgram('0.0.0', async () => {}, () => {});
    const sandbox = program.commands.find((command) => command.name() === 'sandbox');
    const sub = (name: string) => sandbox?.commands.find((command) => command.name() === name);
    const defaultOf = (name: string, flag: string): unknown => sub(name)?.options.find((option) => option.long === flag)?.defaultValue;
    expect(defaultOf('start', '--host')).toBe(SANDBOX_DEFAULT_ADDRESS.host);
    expect(defaultOf('start', '--port')).toBe(SANDBOX_DEFAULT_ADDRESS.port);
    expect(defaultOf('complete', '--sandbox-url')).toBe(SANDBOX_DEFAULT_ADDRESS.url);
  });
});
