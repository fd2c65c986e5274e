import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Conversation, serializeEvent } from '../src/index.js';
import { ScriptedLLM } from '../src/testing/index.js';
import { type Inspector, startInspector } from '../src/visualizer/index.js';
import { ARTIFACTS, collectErrors, launchBrowser, stateBox } from './helpers/browser.js';
import { deferred } from './helpers/deferred.js';
import { gatedTool, nextEvent, scripted, userTexts } from './helpers/conversation.js';

let browser: Awaited<ReturnType<typeof launchBrowser>>;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launchBrowser();
  context = browser.context;
});
afterAll(async () => {
  await browser?.close();
});

let pages: Page[] = [];
let inspectors: Inspector[] = [];
let conversations: Conversation[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(pages.map((p) => p.close()));
  await Promise.all(inspectors.map((i) => i.close()));
  await Promise.all(conversations.map((c) => c.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  pages = [];
  inspectors = [];
  conversations = [];
  dirs = [];
});

async function open(inspector: Inspector): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  pages.push(page);
  const errors = collectErrors(page);
  await page.goto(inspector.url);
  return { page, errors };
}

describe('the inspector page, live', () => {
  it('draws the chart, lights thinking then acting, lists the events, and sends a message from the page', async () => {
    const firstTurn = deferred();
    const slow = gatedTool();
    const { conversation, llm } = scripted(
      [
        async () => {
          await firstTurn.promise;
          return ScriptedLLM.call('slow', {}, 'Let me work on it');
        },
        ({ request }) => `I read: ${userTexts(request).join(' | ')}`,
      ],
      [slow.tool],
      { conversationId: 'browser-live' },
    );
    conversations.push(conversation);
    const inspector = await startInspector({ conversation });
    inspectors.push(inspector);
    const { page, errors } = await open(inspector);

    // The four states, nested ones inside, and idle lit.
    for (const state of ['idle', 'thinking', 'acting', 'paused']) {
      await stateBox(page, `conversation.${state}`).waitFor();
    }
    await stateBox(page, 'conversation.thinking.requesting').waitFor();
    await stateBox(page, 'conversation.idle', true).waitFor({ state: 'attached' });
    expect(await page.locator('#title').textContent()).toBe('conversation browser-live');
    expect(await page.locator('#mode').textContent()).toBe('live');
    expect(await page.locator('#replay').isHidden()).toBe(true);

    // Thinking: the model call is held back by the script.
    conversation.sendMessage('Please do the slow thing');
    const done = conversation.run();
    await stateBox(page, 'conversation.thinking', true).waitFor({ state: 'attached' });
    await stateBox(page, 'conversation.thinking.requesting', true).waitFor({ state: 'attached' });
    expect(await stateBox(page, 'conversation.acting', true).count()).toBe(0);
    expect(await stateBox(page, 'conversation.idle', true).count()).toBe(0);
    await page.locator('#status[data-status="running"]').waitFor();

    // Acting: the tool runs until the test releases it.
    firstTurn.resolve();
    await slow.started();
    await stateBox(page, 'conversation.acting', true).waitFor({ state: 'attached' });
    await stateBox(page, 'conversation.acting.running', true).waitFor({ state: 'attached' });
    expect(await stateBox(page, 'conversation.thinking', true).count()).toBe(0);
    expect(await page.locator('#state-name').textContent()).toBe('acting.running');

    // The timeline lists the events with their kind, source and summary.
    const action = page.locator('#timeline li[data-kind="action"]');
    await action.waitFor();
    expect(await action.locator('.source').textContent()).toBe('agent');
    expect(await action.locator('.summary').textContent()).toBe('Let me work on it → slow()');
    const rows = await page
      .locator('#timeline li')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind')));
    expect(rows).toEqual(conversation.events.map((e) => e.kind));
    // A click shows the whole event as JSON.
    await action.locator('.row').click();
    const json = JSON.parse((await action.locator('pre').textContent()) ?? '') as unknown;
    expect(json).toEqual(conversation.events.find((e) => e.kind === 'action'));
    // The filter hides a kind.
    await page.locator('#filters label[data-kind="state_update"] input').uncheck();
    expect(await page.locator('#timeline li[data-kind="state_update"]').first().isHidden()).toBe(
      true,
    );
    expect(await action.isVisible()).toBe(true);

    // A message sent from the page reaches the conversation and waits in the inbox.
    await page.locator('#message-text').fill('Also mention the weather');
    await page.locator('#delivery').selectOption('steer');
    await page.locator('#send').click();
    const message = await nextEvent(
      conversation,
      (e) => e.kind === 'message' && e.role === 'user' && e.content === 'Also mention the weather',
    );
    expect(message).toMatchObject({ delivery: 'steer', source: 'user' });
    const pending = page.locator(`#inbox li[data-message-id="${message.id}"]`);
    await pending.locator('button.retract').waitFor();
    expect(await pending.locator('.mode').textContent()).toBe('steer');
    expect(await page.locator('#inbox-count').textContent()).toBe('1');
    expect(await page.locator('#message-text').inputValue()).toBe('');
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-live.png'), fullPage: true });

    // The model reads it after the tool call; the page shows where.
    slow.release('slow result');
    expect(await done).toEqual({ status: 'finished', iterations: 2 });
    expect(userTexts(llm.requests[1]!)).toEqual([
      'Please do the slow thing',
      'Also mention the weather',
    ]);
    await stateBox(page, 'conversation.idle.finished', true).waitFor({ state: 'attached' });
    const delivered = conversation.events.filter((e) => e.kind === 'message_delivered').at(-1)!;
    const row = page.locator(`#messages tr[data-message-id="${message.id}"][data-state="read"]`);
    await row.waitFor();
    expect(await row.locator('.arrived').textContent()).toBe(`#${message.seq}`);
    expect(await row.locator('.read').textContent()).toBe(`#${delivered.seq}`);
    await page.locator('#inbox li.empty').waitFor();
    expect(await page.locator('#metric-iterations').textContent()).toBe('2');
    expect(await page.locator('#metric-responses').textContent()).toBe('2');
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-finished.png'), fullPage: true });

    expect(errors).toEqual([]);
  });

  it('pauses, retracts, resumes and interrupts from the page', async () => {
    const never = deferred();
    const { conversation, llm } = scripted([
      { content: 'lost', delay: never.promise },
      { content: 'lost too', delay: never.promise },
    ]);
    conversations.push(conversation);
    const inspector = await startInspector({ conversation });
    inspectors.push(inspector);
    const { page, errors } = await open(inspector);
    await stateBox(page, 'conversation.idle', true).waitFor({ state: 'attached' });

    conversation.sendMessage('go');
    void conversation.run();
    await stateBox(page, 'conversation.thinking', true).waitFor({ state: 'attached' });
    await page.locator('#pause').click();
    await nextEvent(conversation, (e) => e.kind === 'pause');
    await stateBox(page, 'conversation.paused.manual', true).waitFor({ state: 'attached' });
    expect(llm.calls[0]!.signal!.aborted).toBe(true);

    // Queue a message from the page (Enter sends), then retract it.
    await page.locator('#delivery').selectOption('queue');
    await page.locator('#message-text').fill('never mind');
    await page.locator('#message-text').press('Enter');
    const message = await nextEvent(
      conversation,
      (e) => e.kind === 'message' && e.content === 'never mind',
    );
    expect(message).toMatchObject({ delivery: 'queue' });
    await page.locator(`#inbox li[data-message-id="${message.id}"] button.retract`).click();
    await nextEvent(
      conversation,
      (e) => e.kind === 'message_retracted' && e.messageId === message.id,
    );
    await page
      .locator(`#messages tr[data-message-id="${message.id}"][data-state="retracted"]`)
      .waitFor();
    await page.locator('#inbox li.empty').waitFor();

    await page.locator('#run').click();
    await stateBox(page, 'conversation.thinking', true).waitFor({ state: 'attached' });
    expect(llm.calls).toHaveLength(2);
    await page.locator('#interrupt').click();
    await nextEvent(conversation, (e) => e.kind === 'pause' && e.interrupt === true);
    await stateBox(page, 'conversation.paused', true).waitFor({ state: 'attached' });
    expect(conversation.status).toBe('paused');

    // A bad request is reported on the page, not thrown away.
    await page.locator('#message-text').fill('   ');
    await page.locator('#send').click();
    await page.locator('#notice').waitFor();
    expect(await page.locator('#notice').textContent()).toBe('Type a message first');
    expect(errors).toEqual([]);
  });
});

describe('the inspector page, replaying a log', () => {
  it('the slider and the step buttons move the lit state and the panels through the log, which grows as it is written', async () => {
    // A log on disk, written by a real run.
    const { conversation } = scripted([ScriptedLLM.call('echo', { text: 'hi' }), 'All done']);
    conversations.push(conversation);
    conversation.sendMessage('echo hi please');
    await conversation.run();
    const events = conversation.events;
    const root = await mkdtemp(join(tmpdir(), 'inspector-replay-'));
    dirs.push(root);
    const dir = join(root, 'conv-1');
    await mkdir(dir);
    await writeFile(
      join(dir, 'events.jsonl'),
      events.map((e) => `${serializeEvent(e)}\n`).join(''),
    );

    const inspector = await startInspector({ logPath: dir });
    inspectors.push(inspector);
    const { page, errors } = await open(inspector);
    const slider = page.locator('#replay-slider');
    await slider.waitFor();
    expect(await page.locator('#mode').textContent()).toBe('replay');
    expect(await page.locator('#controls').isHidden()).toBe(true);
    expect(await slider.getAttribute('max')).toBe(String(events.length - 1));

    // It opens at the end of the log.
    await stateBox(page, 'conversation.idle.finished', true).waitFor({ state: 'attached' });
    expect(await slider.inputValue()).toBe(String(events.length - 1));

    // Home: the first event. The user message is not sent yet.
    await slider.focus();
    await slider.press('Home');
    await stateBox(page, 'conversation.idle.ready', true).waitFor({ state: 'attached' });
    await page.locator('#timeline li[data-seq="0"].current').waitFor();
    expect(await page.locator('#timeline li.future').count()).toBe(events.length - 1);
    expect(await page.locator('#messages tr[data-state="future"]').count()).toBe(1);

    // Step forward to the action: acting lit, the message read at its delivery event.
    const action = events.find((e) => e.kind === 'action')!;
    const message = events.find((e) => e.kind === 'message' && e.role === 'user')!;
    const delivered = events.find((e) => e.kind === 'message_delivered')!;
    for (let seq = 1; seq <= action.seq; seq++) {
      await page.locator('#step-next').click();
      await page.locator(`#timeline li[data-seq="${seq}"].current`).waitFor();
      if (seq === message.seq) {
        await page.locator(`#inbox li[data-message-id="${message.id}"]`).waitFor();
      }
      if (seq === delivered.seq) {
        await stateBox(page, 'conversation.thinking', true).waitFor({ state: 'attached' });
        await page.locator('#inbox li.empty').waitFor();
      }
    }
    await stateBox(page, 'conversation.acting', true).waitFor({ state: 'attached' });
    expect(await stateBox(page, 'conversation.thinking', true).count()).toBe(0);
    expect(await page.locator('#step-label').textContent()).toBe(
      `event ${action.seq + 1} / ${events.length} · action`,
    );
    await page
      .locator(`#messages tr[data-message-id="${message.id}"][data-state="read"]`)
      .waitFor();
    // The inbox shows no retract button in a replay.
    expect(await page.locator('#inbox button.retract').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-replay.png'), fullPage: true });

    // Back one step with the keyboard, then to the end with the button.
    await slider.press('ArrowLeft');
    await page.locator(`#timeline li[data-seq="${action.seq - 1}"].current`).waitFor();
    await page.locator('#step-last').click();
    await stateBox(page, 'conversation.idle.finished', true).waitFor({ state: 'attached' });
    expect(await page.locator('#step-next').isDisabled()).toBe(true);

    // The log is followed: a message appended to the file appears, the slider grows and
    // moves along, and the inbox holds the message.
    expect(await page.locator('#following').textContent()).toBe('following');
    const followed = {
      ...message,
      seq: events.length,
      id: 'msg-followed',
      content: 'written later',
      delivery: 'queue' as const,
    };
    await appendFile(join(dir, 'events.jsonl'), `${serializeEvent(followed)}\n`);
    await page.locator(`#timeline li[data-seq="${events.length}"][data-kind="message"]`).waitFor();
    await page.locator('#inbox li[data-message-id="msg-followed"]').waitFor();
    expect(await slider.getAttribute('max')).toBe(String(events.length));
    expect(await slider.inputValue()).toBe(String(events.length));
    expect(await page.locator('#step-label').textContent()).toBe(
      `event ${events.length + 1} / ${events.length + 1} · message`,
    );
    expect(errors).toEqual([]);
  });
});
