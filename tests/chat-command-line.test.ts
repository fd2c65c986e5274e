import { expect, it } from 'vitest';
import { parseChatLine } from '../src/cli/chat/chat-command-line.js';

it('reads typed lines: messages with their delivery, and commands', () => {
  expect(parseChatLine('  add a test  ')).toEqual({
    type: 'send',
    text: 'add a test',
    delivery: 'steer',
  });
  expect(parseChatLine('/now stop right there')).toEqual({
    type: 'send',
    text: 'stop right there',
    delivery: 'interrupt',
  });
  expect(parseChatLine('/later then the docs')).toEqual({
    type: 'send',
    text: 'then the docs',
    delivery: 'queue',
  });
  expect(parseChatLine('//etc/hosts is a path')).toEqual({
    type: 'send',
    text: '/etc/hosts is a path',
    delivery: 'steer',
  });
  for (const command of [
    'retract',
    'pause',
    'resume',
    'status',
    'cost',
    'inspect',
    'help',
    'quit',
  ]) {
    expect(parseChatLine(`/${command}`)).toEqual({ type: command });
  }
  expect(parseChatLine('/exit')).toEqual({ type: 'quit' });
  expect(parseChatLine('')).toEqual({ type: 'empty' });
  expect(parseChatLine('/now')).toEqual({ type: 'unknown', command: '/now needs a message' });
  expect(parseChatLine('/pause now')).toEqual({ type: 'unknown', command: '/pause' });
  expect(parseChatLine('/rm -rf')).toEqual({ type: 'unknown', command: '/rm' });
});
