#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerDemoCommand } from './commands/demo.js';
import { registerInspectCommand } from './commands/inspect.js';
import { registerChatCommand } from './commands/chat.js';
import { registerRunCommand } from './commands/run.js';
import { registerAttachCommand } from './commands/attach.js';

const program = new Command();
program
  .name('steerable')
  .description('Agents you can steer while they run: demo, scenarios, inspector')
  .version(packageVersion(), '-v, --version', 'print the version of steerable');

// One file per command in ./commands; register each here.
registerDemoCommand(program);
registerInspectCommand(program);
registerRunCommand(program);
registerChatCommand(program);
registerAttachCommand(program);

await program.parseAsync(process.argv);

/** The `version` of this package's package.json (two folders up, from src/cli or dist/cli). */
function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
