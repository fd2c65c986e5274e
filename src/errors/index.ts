export * from './steerable-error.js';
export * from './conversation-run-error.js';
export * from './conversation-closed-error.js';
export * from './message-errors.js';
export * from './conversation-not-ready-error.js';
export * from './attach-not-supported-error.js';
export * from './invalid-option-error.js';
export * from './condensation-error.js';
