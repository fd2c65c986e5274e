import type { ScenarioResult } from '../scenarios/run-scenario.js';

/** An inspector that can be closed. */
interface Closable {
  close(): Promise<void>;
}

/**
 * Opens inspectors on scenario logs (for `steerable run --inspect`): each shows the whole
 * event log with the state chart and a slider that replays it step by step.
 */
export class ResultInspectors {
  readonly #open: Closable[] = [];

  /** Serves the log of one result; resolves with the page's URL. */
  readonly inspect = async (result: ScenarioResult): Promise<string> => {
    // Loaded on demand: the layout engine is only needed here.
    const { startInspector, LogSource } = await import('../visualizer/index.js');
    const source = new LogSource(result.events, { title: `scenario: ${result.name}` });
    const inspector = await startInspector({ source });
    this.#open.push(inspector);
    return inspector.url;
  };

  /** How many inspectors are serving. */
  get size(): number {
    return this.#open.length;
  }

  /** Closes them all. */
  async close(): Promise<void> {
    await Promise.all(this.#open.splice(0).map((inspector) => inspector.close()));
  }
}
