import { SteerableError } from '../errors/steerable-error.js';

/** The inspector could not start: no log at the path, the port is taken, a bad target. */
export class InspectorError extends SteerableError {}
