import path from 'node:path';
import { waitFor } from './processes.mjs';

/**
 * Alex Wilber's view of the Playground, driven the way a person would: type in the chat box, read the bot's
 * messages, click card buttons. Also listens to the Playground's own activity log (the stream behind its Log
 * Panel), which records every call the bot makes to the emulated connector, including messages to other users.
 */
export class PlaygroundChat {
  constructor(page, screenshotDir) {
    this.page = page;
    this.screenshotDir = screenshotDir;
    this.activityLog = [];
  }

  static async open(context, { url, screenshotDir }) {
    const chat = new PlaygroundChat(await context.newPage(), screenshotDir);
    chat.page.on('websocket', (socket) => {
      if (!socket.url().endsWith('/_ws/log/stream')) return;
      socket.on('framereceived', ({ payload }) => {
        try {
          const frame = JSON.parse(String(payload));
          if (frame.logAction === 'appendLog' && frame.log) chat.activityLog.push(frame.log);
        } catch { /* not a log entry */ }
      });
    });
    await chat.page.goto(url);
    await chat.input.waitFor({ state: 'visible', timeout: 15_000 });
    return chat;
  }

  get input() {
    return this.page.locator('div[contenteditable="true"][data-lexical-editor="true"]');
  }

  /** The bot's messages in the open chat (text and cards), oldest first. */
  get botMessages() {
    return this.page.locator('.fai-OutputCard');
  }

  /** Types `text` into the chat box and sends it; returns how many bot messages were on screen before. */
  async say(text) {
    const before = await this.botMessages.count();
    await this.input.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
    return before;
  }

  /**
   * Waits for a bot message, after the first `after` ones, whose text contains every one of `texts` (strings or
   * regular expressions); returns it.
   */
  async waitForMessage(texts, { after = 0, timeoutMs = 15_000 } = {}) {
    const wanted = [texts].flat();
    const waiting = waitFor(async () => {
      const count = await this.botMessages.count();
      for (let i = count - 1; i >= after; i--) {
        const message = this.botMessages.nth(i);
        const text = await message.innerText();
        if (wanted.every((t) => (t instanceof RegExp ? t.test(text) : text.includes(t)))) return message;
      }
      return null;
    }, { timeoutMs, message: `a bot message showing ${wanted.map((t) => (t instanceof RegExp ? String(t) : JSON.stringify(t))).join(' and ')}` });
    try {
      return await waiting;
    } catch (error) {
      const count = await this.botMessages.count().catch(() => 0);
      const last = count > after ? await this.botMessages.nth(count - 1).innerText().catch(() => '') : '(none)';
      error.message += `\nnewest bot message: ${last.replace(/\s+/g, ' ').slice(0, 500)}`;
      throw error;
    }
  }

  /** Clicks the button titled `title` on the newest card that has one. */
  async clickCardButton(title) {
    const before = await this.botMessages.count();
    await this.page.locator(`.ac-adaptiveCard button[aria-label="${title}"]`).last().click();
    return before;
  }

  /**
   * The messages the bot sent through the connector to `userId`, in any conversation, from the activity log; an
   * update of an earlier message (PUT) has `updated` set.
   */
  messagesSentTo(userId) {
    return this.activityLog
      .filter((entry) => entry.from === 'User Application' && entry.activityName === 'message'
        && entry.request?.body?.recipient?.id === userId
        && entry.response?.statusCode >= 200 && entry.response?.statusCode < 300)
      .map((entry) => ({
        conversationId: entry.conversationId,
        activityId: entry.request.body.id ?? entry.response.body?.id,
        updated: entry.request.body.id !== undefined,
        activity: entry.request.body,
      }));
  }

  /** The conversations in which `userId` wrote to the bot, from the activity log. */
  conversationsOf(userId) {
    return [...new Set(this.activityLog
      .filter((entry) => entry.to === 'User Application' && entry.request?.body?.from?.id === userId)
      .map((entry) => entry.conversationId))];
  }

  /** A screenshot of the window; with `height`, of a window that tall, to show more of the conversation at once. */
  async screenshot(name, { height } = {}) {
    const viewport = this.page.viewportSize();
    if (height) {
      await this.page.setViewportSize({ ...viewport, height });
      await this.page.waitForTimeout(300); // the chat pane scrolls to the newest message after a resize
    }
    try {
      await this.page.screenshot({ path: path.join(this.screenshotDir, `${name}.png`) });
    } finally {
      if (height) await this.page.setViewportSize(viewport);
    }
  }
}
