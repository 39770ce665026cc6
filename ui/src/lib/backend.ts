// The only module that talks to Tauri. Command names match the Rust
// commands in src-tauri/src/main.rs; arguments are camelCase here and
// snake_case in Rust (Tauri converts them).
import { invoke } from '@tauri-apps/api/core';
import type { Backend, BackendError, MemberCard, MemberHit, ShopSettings } from './types';

export function toBackendError(error: unknown): BackendError {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code, message, details } = error as { code: unknown; message?: unknown; details?: unknown };
    return {
      code: String(code),
      message: typeof message === 'string' ? message : '',
      details: typeof details === 'object' && details !== null ? (details as Record<string, string>) : {},
    };
  }
  return { code: 'Internal', message: String(error), details: {} };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toBackendError(error);
  }
}

export const backend: Backend = {
  countMembers: () => call<number>('count_members'),
  findMembers: (query, limit) => call<MemberHit[]>('find_members', { query, limit }),
  getMemberCard: (memberId) => call<MemberCard>('get_member_card', { memberId }),
  getSettings: () => call<ShopSettings>('get_settings'),
  seedDemoData: () => call<number>('seed_demo_data'),
};
