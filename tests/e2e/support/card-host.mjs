import path from 'node:path';
import { modulesDir } from './paths.mjs';

const bundle = path.join(modulesDir, 'adaptivecards', 'dist', 'adaptivecards.min.js');
const styles = path.join(modulesDir, 'adaptivecards', 'dist', 'adaptivecards.css');

/**
 * A minimal Adaptive Card host: a blank page that renders cards with the official `adaptivecards` browser bundle
 * (the renderer Teams' web client and the Playground build on). Clicks on Action.Execute / Action.Submit buttons
 * are handed to `onAction` in Node with what the renderer would send: type, title, verb and data (inputs merged).
 */
export class CardHost {
  constructor(page) {
    this.page = page;
    this.actionHandler = async () => undefined;
  }

  static async open(context, { width = 520 } = {}) {
    const host = new CardHost(await context.newPage());
    await host.page.exposeFunction('__cardAction', (action) => host.actionHandler(action));
    await host.page.setContent(`<!doctype html><html><head><meta charset="utf-8"><title>Adaptive Card host</title>
      <style>body { margin: 0; padding: 16px; background: #f5f5f5; font-family: 'Segoe UI', 'Noto Sans', 'DejaVu Sans', sans-serif; }
      .card-frame { width: ${width}px; margin: 0 0 16px; background: #fff; border: 1px solid #e0e0e0; border-radius: 6px; overflow: hidden; }</style>
      </head><body><div id="cards"></div></body></html>`);
    await host.page.addStyleTag({ path: styles });
    await host.page.addScriptTag({ path: bundle });
    await host.page.evaluate(() => {
      window.renderCard = (id, json) => {
        const AC = window.AdaptiveCards;
        const card = new AC.AdaptiveCard();
        const context = new AC.SerializationContext();
        card.parse(json, context);
        const events = [];
        for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
        events.push(...card.validateProperties().validationEvents);
        card.onExecuteAction = (action) => window.__cardAction({
          card: id, type: action.getJsonTypeName(), title: action.title, verb: action.verb, data: action.data,
        });
        const frame = document.createElement('div');
        frame.className = 'card-frame';
        frame.dataset.card = id;
        const rendered = card.render();
        if (rendered) frame.appendChild(rendered);
        document.querySelector(`.card-frame[data-card="${CSS.escape(id)}"]`)?.remove();
        document.getElementById('cards').appendChild(frame);
        return {
          rendered: Boolean(rendered),
          problems: events.map((e) => `${AC.ValidationEvent[e.event] ?? e.event}: ${e.message}`),
        };
      };
    });
    return host;
  }

  /** Renders `card` (replacing an earlier card of the same id); returns its frame and the renderer's parse and validation problems. */
  async render(id, card) {
    const result = await this.page.evaluate(([cardId, json]) => window.renderCard(cardId, json), [id, card]);
    return { ...result, frame: this.page.locator(`.card-frame[data-card="${id}"]`) };
  }

  /** Called with each action the user clicks in a rendered card. */
  onAction(handler) {
    this.actionHandler = handler;
  }
}
