/**
 * steerable: tool-using LLM agents that people can steer while they run.
 *
 * Each folder's `index.ts` lists its public names; this file gathers them. Other entry
 * points: `steerable/testing`, `steerable/visualizer`, `steerable/postgres`.
 */
export * from './events/index.js';
export * from './errors/index.js';
export * from './llm/index.js';
export * from './tools/index.js';
export { Agent, DEFAULT_SYSTEM_PROMPT, type AgentOptions } from './agent/agent.js';
export * from './conversation/index.js';
export * from './machines/index.js';
export * from './actors/index.js';
export * from './confirmation/index.js';
export * from './persistence/index.js';
export {
  ConsoleVisualizer,
  type ConsoleVisualizerOptions,
} from './visualizer/console-visualizer.js';
export { toMermaid, type ToMermaidOptions } from './visualizer/to-mermaid.js';
export { Secrets } from './secrets/secrets.js';
export * from './security/index.js';
export {
  detectStuck,
  stuckWindow,
  DEFAULT_STUCK_THRESHOLDS,
  type StuckThresholds,
  type StuckPattern,
} from './stuck/stuck-detector.js';
export * from './condenser/index.js';
export * from './scenarios/index.js';
