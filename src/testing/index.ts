export * from './scripted-llm.js';
