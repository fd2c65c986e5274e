import { afterEach, describe, expect, it } from 'vitest';
import {
  Agent,
  Conversation,
  type ConversationEvent,
  LLMSummarizingCondenser,
} from '../src/index.js';
import { ScriptedLLM, type ScriptedTurn } from '../src/testing/index.js';
import { echoTool } from './helpers/conversation.js';

let open: Conversation[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

const echo = (i: number) => ScriptedLLM.call('echo', { text: `${i}` });

function budgeted(turns: ScriptedTurn[], costPerCall: number, maxCostPerRun: number) {
  const llm = new ScriptedLLM(turns, { costPerCall });
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [echoTool] }),
    visualizer: false,
    maxCostPerRun,
  });
  open.push(conversation);
  return { conversation, llm };
}

const budgetErrors = (events: readonly ConversationEvent[]) =>
  events.filter((e) => e.kind === 'agent_error' && e.code === 'budget_exceeded');

describe('maxCostPerRun', () => {
  it('stops the run before the request that would exceed it, with one event naming the limit', async () => {
    const { conversation, llm } = budgeted([echo(0), echo(1), echo(2), echo(3)], 0.3, 0.5);
    conversation.sendMessage('spend');
    expect(await conversation.run()).toEqual({ status: 'paused', iterations: 2 });
    expect(llm.calls).toHaveLength(2);
    const [event] = budgetErrors(conversation.events);
    expect(event).toMatchObject({
      source: 'environment',
      message: expect.stringMatching(/spent \$0\.6000, reaching maxCostPerRun \(\$0\.5\)/),
    });
    expect(budgetErrors(conversation.events)).toHaveLength(1);
  });

  it('run() again continues with a fresh budget', async () => {
    const { conversation, llm } = budgeted(
      [echo(0), echo(1), echo(2), ScriptedLLM.finish()],
      0.3,
      0.5,
    );
    conversation.sendMessage('spend');
    await conversation.run();
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 2 });
    expect(llm.calls).toHaveLength(4);
    expect(conversation.state.metrics.cost).toBeCloseTo(1.2);
  });

  it('a run that finishes stays finished even if its last call went over the budget', async () => {
    const { conversation } = budgeted([echo(0), ScriptedLLM.finish('done')], 0.4, 0.5);
    conversation.sendMessage('spend');
    expect(await conversation.run()).toEqual({ status: 'finished', iterations: 2 });
    expect(conversation.state.metrics.cost).toBeCloseTo(0.8);
    expect(budgetErrors(conversation.events)).toHaveLength(0);
  });

  it('counts what the condenser spends on summaries', async () => {
    const llm = new ScriptedLLM(
      Array.from({ length: 10 }, (_, i) => echo(i)),
      { costPerCall: 0 },
    );
    const summarizer = new ScriptedLLM([], { whenExhausted: 'SUMMARY', costPerCall: 1 });
    const conversation = new Conversation({
      agent: new Agent({
        llm,
        tools: [echoTool],
        condenser: new LLMSummarizingCondenser({ llm: summarizer, maxSize: 8 }),
      }),
      visualizer: false,
      maxCostPerRun: 0.5,
    });
    open.push(conversation);
    conversation.sendMessage('go');
    expect(await conversation.run()).toEqual({ status: 'paused', iterations: 4 });
    expect(summarizer.calls).toHaveLength(1);
    // No model request after the summary that used up the budget.
    expect(llm.calls).toHaveLength(4);
    expect(budgetErrors(conversation.events)).toHaveLength(1);
  });
});
