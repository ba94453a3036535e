import { and, asc, eq, gt } from 'drizzle-orm';
import { pageOf, type Driver } from '../driver.js';
import * as t from '../schema.js';
import type { DeviceRecord, Store } from '../../ports.js';

type Row = typeof t.devices.$inferSelect;

function fromRow({ rowId: _r, status, ...row }: Row): DeviceRecord {
  return { ...row, status: status === 'remembered' ? 'remembered' : 'not_remembered' };
}

export function devicesRepo({ db }: Driver): Store['devices'] {
  const key = (poolId: string, deviceKey: string) => and(eq(t.devices.poolId, poolId), eq(t.devices.deviceKey, deviceKey));
  return {
    async insert(device) {
      await db.insert(t.devices).values(device);
    },
    async get(poolId, deviceKey) {
      const [row] = (await db.select().from(t.devices).where(key(poolId, deviceKey))) as Row[];
      return row && fromRow(row);
    },
    async update(device) {
      const { poolId, deviceKey, sub: _s, createdAt: _c, ...fields } = device;
      await db.update(t.devices).set(fields).where(key(poolId, deviceKey));
    },
    async listForUser(poolId, sub, limit, after) {
      const afterRow = after === undefined ? undefined : Number(after);
      const rows = (await db
        .select()
        .from(t.devices)
        .where(and(
          eq(t.devices.poolId, poolId), eq(t.devices.sub, sub), eq(t.devices.confirmed, true),
          afterRow !== undefined && Number.isSafeInteger(afterRow) ? gt(t.devices.rowId, afterRow) : undefined,
        ))
        .orderBy(asc(t.devices.rowId))
        .limit(limit + 1)) as Row[];
      const page = pageOf(rows, limit, (r) => String(r.rowId));
      return { ...page, items: page.items.map(fromRow) };
    },
    async delete(poolId, deviceKey) {
      await db.delete(t.devices).where(key(poolId, deviceKey));
    },
  };
}
