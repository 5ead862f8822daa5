import { z } from 'zod';
import { defineCommand } from '../src/chat/command.ts';
import { id } from '../src/chat/fields.ts';
import { getTarget } from '../src/domain/targets.ts';

const options = z.object({
  id: id('id').meta({ autocomplete: 'target' }).describe('Target number, as shown by /targets'),
});

export default defineCommand({
  name: 'target',
  description: 'Show one target in full',
  permission: 'target.view',
  action: 'see targets',
  options,
  primary: 'id',
  examples: ['/target id:12', '/target 12'],
  async run(input, ctx) {
    return { kind: 'target', target: await getTarget(ctx.db, input.id), ephemeral: true };
  },
});
