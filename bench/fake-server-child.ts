/**
 * The fake OpenAI server of the benchmarks, in a process of its own (its JSON parsing
 * and garbage collection stay off the measured thread, as with a real provider). Reports
 * its base URL over IPC and stops when the parent disconnects.
 */
import { startFakeOpenAIServer, type FakeRequest } from 'steerable/testing';
import { benchTurn } from './bench-turn.js';

let recorded: FakeRequest[] = [];
const server = await startFakeOpenAIServer({
  script: (request) => {
    // Keep no history: a 1,000-step conversation sends 1,000 ever larger requests.
    recorded.length = 0;
    return benchTurn(request.body);
  },
});
recorded = server.requests as FakeRequest[];

process.send?.({ baseUrl: server.baseUrl });
process.on('disconnect', () => {
  void server.close().then(() => process.exit(0));
});
