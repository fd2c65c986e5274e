/**
 * The base class of every error steerable throws on purpose. `name` is the class name,
 * so `err.name === 'ConversationRunError'` works across bundles.
 */
export class SteerableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
