import { isAbsolute, normalize } from 'node:path';
import type { AnyToolDefinition } from '../../tools/define-tool.js';
import { FINISH_TOOL_NAME } from '../../tools/finish-tool.js';
import { stateNames } from '../machine-states.js';
import type { ScenarioSpec } from '../schema/scenario-schema.js';
import type { Trigger } from '../schema/trigger-schema.js';

/** A problem found by `checkScenario`, at a path of the scenario. */
export interface SpecProblem {
  path: PropertyKey[];
  message: string;
}

/**
 * Checks what the schema cannot: that the agent's tools exist, that turns call only the
 * agent's tools, that triggers name real machine states, that controls and expectations
 * name messages of the scenario, and that file paths stay inside the workspace.
 */
export function checkScenario(
  spec: ScenarioSpec,
  registry: ReadonlyMap<string, AnyToolDefinition>,
): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const known = [...registry.keys()].sort();
  const agentTools = new Set<string>();
  spec.agent.tools.forEach((name, i) => {
    if (!registry.has(name) && name !== FINISH_TOOL_NAME) {
      problems.push({
        path: ['agent', 'tools', i],
        message: `unknown tool "${name}" (built-in tools: ${known.join(', ')})`,
      });
      return;
    }
    if (agentTools.has(name)) {
      problems.push({ path: ['agent', 'tools', i], message: `tool "${name}" is listed twice` });
    }
    agentTools.add(name);
  });
  agentTools.add(FINISH_TOOL_NAME);
  const toolList = [...agentTools].join(', ');

  spec.turns?.forEach((turn, i) => {
    const calls = turn.call ? [{ call: turn.call, path: ['call'] }] : [];
    turn.calls?.forEach((call, j) => calls.push({ call, path: ['calls', j] as string[] }));
    for (const { call, path } of calls) {
      if (!agentTools.has(call.tool)) {
        problems.push({
          path: ['turns', i, ...path, 'tool'],
          message: `unknown tool "${call.tool}" (tools: ${toolList})`,
        });
      }
    }
  });

  const states = stateNames();
  const checkTrigger = (trigger: Trigger, path: PropertyKey[]) => {
    if (trigger.stateEntered !== undefined && !states.includes(trigger.stateEntered)) {
      problems.push({
        path: [...path, 'stateEntered'],
        message: `unknown state "${trigger.stateEntered}" (states: ${states.join(', ')})`,
      });
    }
  };
  const messageIds = new Set(spec.messages.flatMap((m) => (m.id === undefined ? [] : [m.id])));
  const idList = () => (messageIds.size > 0 ? [...messageIds].join(', ') : 'none has an id');
  spec.messages.forEach((message, i) => checkTrigger(message.trigger, ['messages', i, 'trigger']));
  spec.controls.forEach((control, i) => {
    checkTrigger(control.trigger, ['controls', i, 'trigger']);
    if (control.messageId !== undefined && !messageIds.has(control.messageId)) {
      problems.push({
        path: ['controls', i, 'messageId'],
        message: `no message has id "${control.messageId}" (message ids: ${idList()})`,
      });
    }
  });
  for (const id of Object.keys(spec.expect.outcomes ?? {})) {
    if (!messageIds.has(id)) {
      problems.push({
        path: ['expect', 'outcomes', id],
        message: `no message has id "${id}" (message ids: ${idList()})`,
      });
    }
  }

  const checkPath = (path: string, at: PropertyKey[]) => {
    const clean = normalize(path);
    if (isAbsolute(path) || clean === '..' || clean.startsWith('../') || clean === '.') {
      problems.push({
        path: at,
        message: `"${path}" must be a relative path inside the workspace`,
      });
    }
  };
  for (const path of Object.keys(spec.files ?? {})) checkPath(path, ['files', path]);
  for (const path of Object.keys(spec.expect.files ?? {})) {
    checkPath(path, ['expect', 'files', path]);
  }
  return problems;
}
