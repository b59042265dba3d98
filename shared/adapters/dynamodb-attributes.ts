import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Minimal typed helpers for DynamoDB attribute values. The items here are flat and few, so a
 * dozen lines beat pulling the generic marshaller into every bundle.
 */
export type Item = Record<string, AttributeValue>;

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });
export const ss = (values: readonly string[]): AttributeValue => ({
  L: values.map((value) => ({ S: value })),
});

export function str(item: Item, name: string): string | undefined {
  return item[name]?.S;
}

export function num(item: Item, name: string): number | undefined {
  const value = item[name]?.N;
  return value === undefined ? undefined : Number(value);
}

export function strList(item: Item, name: string): string[] {
  return (item[name]?.L ?? []).flatMap((value) => (value.S === undefined ? [] : [value.S]));
}

/** Epoch seconds for a DynamoDB TTL attribute, `days` from `nowMs`. */
export function ttlSeconds(nowMs: number, days: number): number {
  return Math.floor(nowMs / 1000) + Math.round(days * 86_400);
}
