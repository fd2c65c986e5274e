#!/usr/bin/env node
import { Command } from 'commander';
import { registerDemoCommand } from './commands/demo.js';
import { registerInspectCommand } from './commands/inspect.js';
import { registerChatCommand } from './commands/chat.js';
import { registerRunCommand } from './commands/run.js';

const program = new Command();
program
  .name('steerable')
  .description('Agents you can steer while they run: demo, scenarios, inspector');

// One file per command in ./commands; register each here.
registerDemoCommand(program);
registerInspectCommand(program);
registerRunCommand(program);
registerChatCommand(program);

await program.parseAsync(process.argv);
