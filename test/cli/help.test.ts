import { describe, expect, it } from 'vitest';
import { HELP_TOPICS } from '../../src/cli/help/topics.js';
import { expectEnvelope, useCli } from '../support/cli.js';

const t = useCli();

describe('apriora help', () => {
  it('without a topic lists every topic with its summary', async () => {
    const result = await t.cli.run(['help']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Help topics (apriora help <topic>):');
    expect(lines.slice(1, 1 + HELP_TOPICS.length)).toEqual(HELP_TOPICS.map((topic) => `  ${topic.name.padEnd(14)}${topic.summary}`));
    expect(lines.at(-1)).toBe('The help of a command: apriora <command> --help, or apriora help <command>.');
    const json = await t.cli.run(['help', '--json']);
    expect(expectEnvelope(json, true).data).toEqual({ topics: HELP_TOPICS.map(({ name, summary }) => ({ name, summary })) });
  });

  it('exit-codes prints the exit-code table', async () => {
    const result = await t.cli.run(['help', 'exit-codes']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^EXIT CODES\n/);
    expect(result.stdout).toMatch(/^ {2}CODE {2}MEANING$/m);
    for (const [code, meaning] of [
      ['0', 'Success.'],
      ['1', 'Unexpected internal error'],
      ['2', 'Usage error or invalid input'],
      ['3', 'Partial failure'],
      ['4', 'Authentication'],
      ['5', 'Remote service error'],
      ['130', 'Interrupted'],
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^ {2}${code}\\s+${meaning}`, 'm'));
    }
  });

  it('every topic prints its text, the same text as in --json', async () => {
    // "sandbox" is also a command: see the known bug below
    const topics = HELP_TOPICS.filter((topic) => topic.name !== 'sandbox');
    expect(topics.length).toBe(HELP_TOPICS.length - 1);
    for (const topic of topics) {
      const human = await t.cli.run(['help', topic.name]);
      const json = await t.cli.run(['help', topic.name, '--json']);
      const text = (await topic.load()).default;
      expect(human.code, topic.name).toBe(0);
      expect(human.stdout, topic.name).toBe(`${text.trimEnd()}\n`);
      expect(expectEnvelope(json, true).data, topic.name).toEqual({ topic: topic.name, text });
      expect(text.length).toBeGreaterThan(200);
    }
  });

  it('json documents interview invite (skip reasons, statuses), the applicant and invitation lists; other topics mention invitations', async () => {
    const [{ SKIP_REASONS }, { INVITATION_STATUSES }] = await Promise.all([
      import('../../src/workflows/invite-candidates.js'),
      import('../../src/apriora/partner.js'),
    ]);
    const json = (await t.cli.run(['help', 'json'])).stdout;
    expect(json).toContain('BULK RUNS: interview generate, interview invite, activity push');
    expect(json).toMatch(/^An item of interview invite:$/m);
    for (const code of Object.keys(SKIP_REASONS)) expect(json).toContain(code);
    expect(json).toContain(`${INVITATION_STATUSES.slice(0, -1).join(', ')} or ${INVITATION_STATUSES.at(-1)}`);
    for (const command of ['tracker applicants list', 'interview invitations', 'interview invite'])
      expect(json).toMatch(new RegExp(`^ {12}${command} +one `, 'm'));
    for (const code of ['no_interview', 'job_not_open', 'tracker_rest_token_missing', 'phone_required', 'invalid_phone']) expect(json).toContain(code);
    const exitCodes = (await t.cli.run(['help', 'exit-codes'])).stdout;
    expect(exitCodes).toContain('interview invite');
    expect(exitCodes).toContain('tracker_rest_token_missing');
    const interviews = (await t.cli.run(['help', 'interviews'])).stdout;
    expect(interviews).toMatch(/^INVITATIONS$/m);
    expect(interviews).toContain('apriora interview invite --job 3101 --applicants');
  });

  it('help api states the automations contract: what a PATCH replaces, the rule fields and ops, the 422 codes', async () => {
    const [{ RULE_OPS }, { INVITE_RULE_FIELDS, INTERVIEW_FILTER_FIELDS }] = await Promise.all([
      import('../../src/apriora/partner.js'),
      import('../../src/workflows/automation-rules.js'),
    ]);
    const api = (await t.cli.run(['help', 'api'])).stdout.replace(/\s+/g, ' ');
    expect(api).toContain('a PATCH replaces each object it names and leaves the other');
    for (const op of RULE_OPS) expect(api).toContain(`"${op}"`);
    expect(api).toContain(`Invite fields: ${INVITE_RULE_FIELDS.join(', ')};`);
    expect(api).toContain(`interview filters: ${INTERVIEW_FILTER_FIELDS.join(', ')}.`);
    for (const part of [
      'invalid_rule {details {index}}',
      'invalid_automation',
      'delayMinutes 0-10080',
      'timezone IANA',
      'automations status, enable, disable',
    ]) {
      expect(api).toContain(part);
    }
  });

  it('help sandbox prints the sandbox topic', async () => {
    const result = await t.cli.run(['help', 'sandbox']);
    expect(result.stdout).not.toMatch(/^Usage: apriora sandbox/);
    expect(result.stdout).toBe(`${(await HELP_TOPICS.find((topic) => topic.name === 'sandbox')!.load()).default.trimEnd()}\n`);
  });

  it('help <command> prints that command’s help, the same as <command> --help', async () => {
    const viaHelp = await t.cli.run(['help', 'tracker', 'login']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toMatch(/^Usage: apriora tracker login \[options\]\n/);
    expect(viaHelp.stdout).toContain("Verify a customer's Tracker API credentials");
    for (const flag of ['--region <region>', '--base-url <url>', '--username <email>', '--api-key-stdin', '--password-stdin', '--sandbox']) {
      expect(viaHelp.stdout).toContain(flag);
    }
    expect(viaHelp.stdout).toContain('Examples:\n  $ apriora tracker login --region us --username api.user@customer.com');
    const viaFlag = await t.cli.run(['tracker', 'login', '--help']);
    expect(viaFlag.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);

    const group = await t.cli.run(['help', 'tracker']);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/^Usage: apriora tracker \[options\] \[command\]/);
    for (const command of ['login', 'status', 'logout', 'support-request', 'connect', 'fields', 'jobs'])
      expect(group.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it("every way of asking for a group's help lists all of its commands, whatever follows or precedes it", async () => {
    const trackerCommands = ['login', 'status', 'logout', 'support-request', 'connect', 'fields', 'jobs'];
    const listsAll = (stdout: string, usage: string, commands: string[]) => {
      expect(stdout).toMatch(new RegExp(`^Usage: ${usage} \\[options\\] \\[command\\]`));
      for (const command of commands) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    };
    for (const args of [
      ['tracker', '--help', 'jobs'],
      ['-yp', 'acme', 'tracker', '--help'],
      ['help', '-yp', 'acme', 'tracker'],
      ['-o', 'json', 'tracker', '-h'],
    ]) {
      const result = await t.cli.run(args);
      expect(result.code, args.join(' ')).toBe(0);
      listsAll(result.stdout, 'apriora tracker', trackerCommands);
    }
    for (const args of [
      ['tracker', 'help', 'fields'],
      ['help', 'tracker', 'fields'],
      ['tracker', 'fields', '--help', 'list'],
    ]) {
      const result = await t.cli.run(args);
      expect(result.code, args.join(' ')).toBe(0);
      listsAll(result.stdout, 'apriora tracker fields', ['list', 'map']);
    }
    const root = await t.cli.run(['-h', 'tracker']);
    listsAll(root.stdout, 'apriora', [
      'login',
      'logout',
      'status',
      'doctor',
      'onboard',
      'smoke',
      'tracker',
      'interview',
      'activity',
      'sandbox',
      'completion',
      'help',
    ]);
  });

  it('help asked with an unknown command word anywhere on the line is exit 2 naming the commands, never the parent help', async () => {
    const root =
      'Try: apriora --help (commands: login, logout, status, doctor, onboard, smoke, tracker, interview, activity, automations, sandbox, completion, help)';
    const tracker = 'Try: apriora tracker --help (commands: login, status, logout, support-request, connect, fields, jobs, applicants)';
    for (const [args, tryLine] of [
      [['-h', 'nosuch'], root],
      [['--help', 'nosuch'], root],
      [['nosuch', '--help'], root],
      [['-p', 'acme', '-h', 'nosuch'], root],
      [['tracker', '-h', 'nosuch'], tracker],
      [['-h', 'tracker', 'nosuch'], tracker],
      [['tracker', 'help', 'nosuch'], tracker],
      [['help', 'tracker', 'nosuch'], tracker],
    ] as const) {
      const result = await t.cli.run([...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr, args.join(' ')).toBe(`Error: unknown command 'nosuch'\n${tryLine}\n`);
    }
    const json = await t.cli.run(['-h', 'nosuch', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'usage_error', message: "unknown command 'nosuch'" });
    // A command's arguments after the help flag are not command words.
    const show = await t.cli.run(['tracker', 'jobs', 'show', '-h', '3101']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^Usage: apriora tracker jobs show/);
  });

  it('an unknown topic is exit 2 listing the topics', async () => {
    const human = await t.cli.run(['help', 'bogus']);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^Error: There is no help topic or command "bogus"$/m);
    expect(human.stderr).toContain(
      `Try: apriora help <topic> with a topic of: ${HELP_TOPICS.map((topic) => topic.name).join(', ')}; the commands: apriora --help`,
    );
    const json = await t.cli.run(['help', 'exit', 'codes', '--json']);
    expect(json.code).toBe(2);
    expect(expectEnvelope(json, false).error).toMatchObject({ code: 'unknown_topic', message: 'There is no help topic or command "exit codes"' });
  });
});
