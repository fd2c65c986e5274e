/** `conversationMachine` and the ports it reaches the world through. */
export {
  conversationMachine,
  type ConversationMachine,
  type ConversationContext,
  type ConversationMachineEvent,
  type ConversationMachineInput,
} from './conversation-machine.js';
export type { ConversationPorts, UserMessageInput, RunLimitHit, StuckReport } from './ports.js';
