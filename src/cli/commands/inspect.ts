import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new InvalidArgumentError('the port must be a number from 0 to 65535');
  }
  return port;
}

/**
 * `steerable inspect <path>`: serves the inspector for a persisted log (an `events.jsonl`,
 * or a conversation directory holding one) on 127.0.0.1, prints its URL, and keeps
 * serving until Ctrl-C. It follows the log as a running conversation appends to it;
 * `--no-follow` reads it once.
 */
export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description(
      'Replay a conversation log in the browser, following it while it is written: the state chart, the events, the inbox, step by step',
    )
    .argument('<path>', 'an events.jsonl file, or a conversation directory that holds one')
    .option('-p, --port <port>', 'the port to listen on (default: a free one)', parsePort)
    .option('--no-follow', 'read the log once instead of following it as it is written')
    .action(async (path: string, options: { port?: number; follow: boolean }) => {
      // Loaded here, not at start-up: the layout engine is only needed by this command.
      const { startInspector } = await import('../../visualizer/start-inspector.js');
      let inspector;
      try {
        inspector = await startInspector(
          { logPath: path, follow: options.follow },
          options.port === undefined ? {} : { port: options.port },
        );
      } catch (error) {
        console.error(
          `steerable inspect: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exitCode = 1;
        return;
      }
      console.log(`Inspector for ${path}: ${inspector.url}`);
      console.log('Press Ctrl-C to stop.');
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void inspector.close().then(() => console.log('Inspector stopped.'));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
