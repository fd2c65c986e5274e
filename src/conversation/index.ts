/** `Conversation`, its options and message handles, attach, replay and fork. */
export { Conversation, type SendMessageOptions, type ForkOptions } from './conversation.js';
export type { ConversationOptions, RunResult, VisualizerOption } from './conversation-options.js';
export type { MessageHandle, MessageOutcome } from './message-handle.js';
export { Inbox } from './inbox.js';
export { RemoteConversation, type RemoteMessageHandle } from './remote-conversation.js';
export type { AttachOptions } from './attach.js';
export { PROCESS_STOPPED_MESSAGE, PROCESS_STOPPED_NOT_RUN_MESSAGE } from './restore.js';
export { FORKED_BEFORE_RESULT_MESSAGE } from './fork-events.js';
export { replaySteps, type ConversationReplayStep } from './replay-steps.js';
