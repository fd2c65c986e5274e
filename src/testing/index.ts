export * from './scripted-llm.js';
export * from './fake-openai-server.js';
