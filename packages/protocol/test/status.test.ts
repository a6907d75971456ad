import { describe, expect, it } from 'vitest';
import {
  ACTION_STATUS_NAMES,
  isActionStatusName,
  isTreeStatusName,
  TREE_STATUS_NAMES,
  toActionStatusName,
  toTreeStatusName,
  treeStatusFromTerminate,
  treeStatusFromUpdateReply,
} from '../src/status.js';

describe('status names', () => {
  it('maps every tree status to its lower-case action status and back', () => {
    for (const name of TREE_STATUS_NAMES) {
      const lower = toActionStatusName(name);
      expect(lower).toBe(name.toLowerCase());
      expect(ACTION_STATUS_NAMES).toContain(lower);
      expect(toTreeStatusName(lower)).toBe(name);
    }
  });

  it('recognises names case-sensitively', () => {
    expect(isTreeStatusName('SUCCESS')).toBe(true);
    expect(isTreeStatusName('success')).toBe(false);
    expect(isActionStatusName('running')).toBe(true);
    expect(isActionStatusName('RUNNING')).toBe(false);
    expect(isActionStatusName(3)).toBe(false);
  });

  it('reads update replies like the Python client (unknown → FAILURE)', () => {
    expect(treeStatusFromUpdateReply('running')).toBe('RUNNING');
    expect(treeStatusFromUpdateReply('success')).toBe('SUCCESS');
    expect(treeStatusFromUpdateReply('failure')).toBe('FAILURE');
    expect(treeStatusFromUpdateReply('invalid')).toBe('FAILURE');
    expect(treeStatusFromUpdateReply(undefined)).toBe('FAILURE');
  });

  it('reads terminate like the Python server (unknown → INVALID)', () => {
    expect(treeStatusFromTerminate('SUCCESS')).toBe('SUCCESS');
    expect(treeStatusFromTerminate('FAILURE')).toBe('FAILURE');
    expect(treeStatusFromTerminate('success')).toBe('INVALID');
    expect(treeStatusFromTerminate(null)).toBe('INVALID');
  });
});
