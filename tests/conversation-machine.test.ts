import { describe, expect, it } from 'vitest';
import { conversationMachine } from '../src/index.js';

describe('conversationMachine', () => {
  it('has exactly the four top-level states', () => {
    expect(Object.keys(conversationMachine.root.states)).toEqual([
      'idle',
      'thinking',
      'acting',
      'paused',
    ]);
  });

  it('has a serializable definition', () => {
    const json = JSON.stringify(conversationMachine.definition);
    const parsed = JSON.parse(json) as { states: Record<string, unknown> };
    expect(Object.keys(parsed.states)).toEqual(['idle', 'thinking', 'acting', 'paused']);
    expect(json).toContain('callLLM');
    expect(json).toContain('runTool');
  });

  it('handles user.message at the root, so every state accepts it', () => {
    expect(conversationMachine.root.on['user.message']).toBeDefined();
  });

  it('takes implementations through provide()', () => {
    const calls: string[] = [];
    const custom = conversationMachine.provide({
      actions: { recordPause: () => calls.push('recordPause') },
    });
    expect(custom.definition.id).toBe('conversation');
    expect(custom).not.toBe(conversationMachine);
  });
});
