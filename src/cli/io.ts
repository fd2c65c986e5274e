/** Where a command prints; tests hand in their own. */
export interface CommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Colours on or off. */
  colors: boolean;
}

/** Prints to stdout and stderr, in colour on a terminal unless `NO_COLOR` is set. */
export const processIO: CommandIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  colors: Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env),
};
