import type { Bench } from './result.js';

/** The benchmarks, in the order they run; each is loaded in a process of its own. */
export const SECTIONS: ReadonlyArray<{
  id: string;
  load: () => Promise<Bench>;
  /** Extra flags for the benchmark's Node process. */
  nodeFlags?: string[];
}> = [
  { id: 'per-step', load: async () => (await import('./per-step.js')).perStep },
  {
    id: 'steering-latency',
    load: async () => (await import('./steering-latency.js')).steeringLatency,
  },
  {
    id: 'many-conversations',
    load: async () => (await import('./many-conversations.js')).manyConversations,
  },
  {
    id: 'many-conversations-young-gen',
    load: async () => (await import('./many-conversations.js')).concurrentLargeYoungGeneration,
    nodeFlags: ['--max-semi-space-size=64'],
  },
  { id: 'event-log', load: async () => (await import('./event-log.js')).eventLog },
  { id: 'terminal', load: async () => (await import('./terminal.js')).terminal },
  { id: 'postgres', load: async () => (await import('./postgres.js')).postgres },
];
