export { startInspector, machineLayout } from './start-inspector.js';
export type { InspectorTarget, StartInspectorOptions } from './start-inspector.js';
export { serveInspector, INSPECTOR_HOST } from './inspector-server.js';
export type { Inspector, ServeInspectorOptions } from './inspector-server.js';
export type { InspectorSource, InspectorControls, SentMessage } from './inspector-source.js';
export type {
  InspectorSnapshot,
  InspectorSummary,
  InspectorUpdate,
  MessageView,
  TimelineEntry,
} from './inspector-view.js';
export { ConversationSource, type InspectableConversation } from './conversation-source.js';
export { RemoteSource } from './remote-source.js';
export { LogSource, resolveLogPath, type LogSourceOptions } from './log-source.js';
export { FollowingLogSource, type FollowingLogSourceOptions } from './following-log-source.js';
export { FileTail, type FileTailListener, type FileTailOptions } from './file-tail.js';
export { LogReplay } from './log-replay.js';
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
