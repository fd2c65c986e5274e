/**
 * 06 · A custom tool with zod: `defineTool` takes a name, a description, a zod object
 * schema and an executor. The model's arguments are validated first: a bad call becomes
 * an error observation that the model reads and corrects, never an exception.
 *
 *   npx tsx examples/06-custom-tool.ts
 *   LLM_API_KEY=sk-… npx tsx examples/06-custom-tool.ts
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { Agent, Conversation, type LanguageModel, defineTool, llmFromEnv } from 'steerable';
import { ScriptedLLM } from 'steerable/testing';

/** Converts temperatures between Celsius and Fahrenheit. */
export const convertTemperature = defineTool({
  name: 'convert_temperature',
  description: 'Converts a temperature between Celsius (C) and Fahrenheit (F)',
  parameters: z.object({
    value: z.number().describe('The temperature to convert'),
    from: z.enum(['C', 'F']).describe('The unit of `value`'),
  }),
  execute: ({ value, from }) => {
    const result = from === 'F' ? ((value - 32) * 5) / 9 : (value * 9) / 5 + 32;
    return {
      content: `${value} °${from} = ${result.toFixed(1)} °${from === 'F' ? 'C' : 'F'}`,
      data: { result },
    };
  },
  securityRisk: () => 'low',
});

export interface CustomToolOptions {
  llm?: LanguageModel;
  visualizer?: boolean;
  print?: (line: string) => void;
}

export async function main(options: CustomToolOptions = {}) {
  const print = options.print ?? console.log;
  const llm =
    options.llm ??
    llmFromEnv() ??
    new ScriptedLLM([
      // A wrong call first: the schema rejects it and the model sees why.
      ScriptedLLM.call('convert_temperature', { value: 'hot', from: 'F' }),
      ScriptedLLM.call('convert_temperature', { value: 100, from: 'F' }),
      ScriptedLLM.finish('100 °F is about 37.8 °C.'),
    ]);
  const conversation = new Conversation({
    agent: new Agent({ llm, tools: [convertTemperature] }),
    visualizer: options.visualizer ?? true,
  });
  try {
    conversation.sendMessage('What is 100 °F in Celsius? Use the tool.');
    const result = await conversation.run();
    const observations = conversation.events.flatMap((e) =>
      e.kind === 'observation' && e.toolName === 'convert_temperature'
        ? [{ content: e.content, isError: e.isError }]
        : [],
    );
    for (const o of observations) print(`${o.isError ? '✗' : '✓'} ${o.content}`);
    return { status: result.status, observations };
  } finally {
    await conversation.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
