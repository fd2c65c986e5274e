/** The child actors: tool execution, the log writer, the terminal session. */
export { INTERRUPTED_MESSAGE, NOT_RUN_MESSAGE } from './execute-tool.js';
export {
  LogWriter,
  logWriterActor,
  type Durability,
  type LogWriterInput,
  type LogWriterEvent,
} from './log-writer.js';
export {
  TerminalSession,
  type TerminalSessionOptions,
  type TerminalSessionState,
  type TerminalSessionEvent,
  type TerminalCallOutcome,
  type TerminalWaitOptions,
} from './terminal-session.js';
export {
  terminalSessionLogic,
  type TerminalSessionActorInput,
  type TerminalSessionActorEvent,
  type TerminalSessionReport,
} from './terminal-session-actor.js';
