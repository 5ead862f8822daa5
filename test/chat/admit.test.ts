import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { admit, BootstrapAdmins } from '../../src/chat/identity.ts';
import { type Cast, createTestApp, seedCast } from '../helpers/app.ts';
import { createTestDatabase, resetDatabase } from '../helpers/database.ts';

let app: App;
let cast: Cast;

beforeAll(async () => {
  app = await createTestApp(await createTestDatabase());
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  await resetDatabase(app.database);
  cast = await seedCast(app);
});

describe('admitting a delivery: claimed once, its member found in the same statement', () => {
  const none = new BootstrapAdmins([]);

  it('finds the linked member the first time, and nothing more when the platform delivers it again', async () => {
    const user = { platform: 'slack' as const, workspaceId: 'T1', userId: `U${cast.member.memberId}` };
    expect(await admit(app, 'slack:command:T1:trigger-1', user, 'Bo', none)).toEqual({ actor: cast.member });
    expect(await admit(app, 'slack:command:T1:trigger-1', user, 'Bo', none)).toBeUndefined();
    expect(await admit(app, 'slack:command:T1:trigger-2', user, 'Bo', none)).toEqual({ actor: cast.member });
  });

  it('claims a stranger’s delivery with no member, and makes a listed bootstrap admin on first contact', async () => {
    const stranger = { platform: 'discord' as const, workspaceId: '9001', userId: '77' };
    expect(await admit(app, 'discord:interaction:1', stranger, 'Someone', none)).toEqual({ actor: null });
    expect(await admit(app, 'discord:interaction:1', stranger, 'Someone', none)).toBeUndefined();
    const admitted = await admit(
      app,
      'discord:interaction:2',
      stranger,
      'Operator',
      new BootstrapAdmins(['9001:77']),
    );
    expect(admitted?.actor).toMatchObject({ role: 'admin', displayName: 'Operator' });
    expect(await app.database.prisma.deliveryReceipt.count()).toBe(2);
  });
});
