export { parseScenario, type ParseScenarioOptions } from './parse/parse-scenario.js';
export { loadScenario, findScenarioFiles } from './parse/load-scenario.js';
export { runScenario, type RunScenarioOptions, type ScenarioResult } from './run-scenario.js';
export { ScenarioError, type ScenarioIssue } from './scenario-error.js';
export { ScenarioModel, type MessageSource } from './scenario-model.js';
export { RecordingModel, type RecordedCall } from './recording-model.js';
export { SCENARIO_TOOLS, toolRegistry } from './tool-registry.js';
export { EchoTool } from './tools/echo-tool.js';
export { WaitTool } from './tools/wait-tool.js';
export { matchesEvent, matchesValue } from './match-event.js';
export { stateNames } from './machine-states.js';
export type { EventMatcher, NthEventMatcher } from './schema/event-matcher-schema.js';
export type { Trigger } from './schema/trigger-schema.js';
export type { ScenarioTurn, ScenarioToolCall, TurnCondition } from './schema/turn-schema.js';
export type { ScenarioExpectations, FileExpectation } from './schema/expect-schema.js';
export {
  ScenarioSchema,
  DEFAULT_SCENARIO_TIMEOUT_MS,
  type Scenario,
  type ScenarioSpec,
  type ScenarioAgent,
  type ScenarioMessage,
  type ScenarioControl,
} from './schema/scenario-schema.js';
