import { describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { toInvocation } from '../../src/chat/dispatch.ts';
import { formatInvocation } from '../../src/chat/format.ts';
import { CommandSyntaxError, parseCommandLine } from '../../src/chat/syntax.ts';

describe('parseCommandLine', () => {
  it('reads key:value options, quoted values and bare words', () => {
    expect(
      parseCommandLine('/propose name:"Chen Quanguo" country:China kind:individual programs:GLOMAG'),
    ).toEqual({
      command: 'propose',
      words: [],
      options: [
        { key: 'name', value: 'Chen Quanguo' },
        { key: 'country', value: 'China' },
        { key: 'kind', value: 'individual' },
        { key: 'programs', value: 'GLOMAG' },
      ],
    });
    expect(parseCommandLine('/propose Chen Quanguo country:China')).toEqual({
      command: 'propose',
      words: ['Chen', 'Quanguo'],
      options: [{ key: 'country', value: 'China' }],
    });
  });

  it('keeps the colons of a value and lower-cases option names only', () => {
    const parsed = parseCommandLine('/Propose X Evidence:https://example.org/a?b=c:d');
    expect(parsed.command).toBe('propose');
    expect(parsed.options).toEqual([{ key: 'evidence', value: 'https://example.org/a?b=c:d' }]);
  });

  it('understands typographic quotes (as Slack and phones send them) and escapes', () => {
    expect(
      parseCommandLine('/propose name:“Chen Quanguo” position:"say \\"hi\\" \\\\ there"').options,
    ).toEqual([
      { key: 'name', value: 'Chen Quanguo' },
      { key: 'position', value: 'say "hi" \\ there' },
    ]);
    expect(parseCommandLine('/propose "Bare quoted name" kind:entity').words).toEqual(['Bare quoted name']);
  });

  it('accepts an empty value and a command without its slash', () => {
    expect(parseCommandLine('targets country:').options).toEqual([{ key: 'country', value: '' }]);
  });

  it('rejects an unclosed quote and a line that is not a command', () => {
    expect(() => parseCommandLine('/propose name:"Chen')).toThrow(CommandSyntaxError);
    expect(() => parseCommandLine('hello there!')).not.toThrow();
    expect(() => parseCommandLine('!!')).toThrow('Commands start with a slash');
    expect(() => parseCommandLine('')).toThrow(CommandSyntaxError);
  });
});

describe('toInvocation and formatInvocation', () => {
  it('take the first bare word of a group as its subcommand', () => {
    expect(toInvocation(registry, parseCommandLine('/member add Ana Díaz org:hrw'))).toEqual({
      command: 'member',
      subcommand: 'add',
      options: { org: 'hrw' },
      text: 'Ana Díaz',
    });
  });

  it('refuse an option given twice', () => {
    expect(() => toInvocation(registry, parseCommandLine('/propose X country:A country:B'))).toThrow(
      'The option country: is given twice',
    );
  });

  it('round-trip: a formatted invocation parses back to the same options', () => {
    const invocation = {
      command: 'propose',
      options: {
        name: 'Chen "The Hand" Quanguo',
        aliases: ['A B', 'C'],
        confirm: true,
        position: 'back\\slash',
        programs: [],
      },
    };
    const line = formatInvocation(invocation);
    expect(line).toBe(
      '/propose name:"Chen \\"The Hand\\" Quanguo" aliases:"A B; C" confirm:yes position:"back\\\\slash"',
    );
    expect(toInvocation(registry, parseCommandLine(line)).options).toEqual({
      name: 'Chen "The Hand" Quanguo',
      aliases: 'A B; C',
      confirm: 'yes',
      position: 'back\\slash',
    });
  });
});
