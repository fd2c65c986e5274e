export { startInspector, machineLayout } from './start-inspector.js';
export type { InspectorTarget, StartInspectorOptions } from './start-inspector.js';
export { serveInspector, INSPECTOR_HOST } from './inspector-server.js';
export type { Inspector, ServeInspectorOptions } from './inspector-server.js';
export type { InspectorSource, InspectorControls } from './inspector-source.js';
export type {
  InspectorSnapshot,
  InspectorSummary,
  InspectorUpdate,
  MessageView,
  TimelineEntry,
} from './inspector-view.js';
export { ConversationSource, type InspectableConversation } from './conversation-source.js';
export { LogSource, resolveLogPath, type LogSourceOptions } from './log-source.js';
export { InspectorError } from './inspector-error.js';
export { describeMachine } from './machine-chart.js';
export type {
  MachineChart,
  ChartState,
  ChartTransition,
  ChartTransitionKind,
} from './machine-chart.js';
export { layoutChart } from './chart-layout.js';
export type {
  ChartLayout,
  LaidOutState,
  LaidOutTransition,
  LaidOutInitial,
  ChartBox,
  ChartPoint,
} from './chart-layout.js';
export { toMermaid, chartToMermaid, type ToMermaidOptions } from './to-mermaid.js';
export { ConsoleVisualizer, type ConsoleVisualizerOptions } from './console-visualizer.js';
export { summarizeEvent } from './event-text.js';
