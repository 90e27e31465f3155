import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './paths.mjs';

const require = createRequire(import.meta.url);
// The official engines. adaptivecards' lib/ is ES modules with extensionless imports, which Node cannot load;
// its dist/ bundle is the same library built for browsers and CommonJS.
const ACData = require('adaptivecards-templating');
const AdaptiveCards = require('adaptivecards/dist/adaptivecards.js');

export const cardsDir = path.join(repoRoot, 'cards');
export const samplesDir = path.join(cardsDir, 'samples');
export const cardBindDll = path.join(repoRoot, 'tests', 'CardBind', 'bin', 'Release', 'net10.0', 'CardBind.dll');

/** Every template in cards/ ("budget" for cards/budget.json), as the bot loads them. */
export function templateNames() {
  return fs.readdirSync(cardsDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Variants of a sample that reach the parts of a template its sample does not: each flag flipped, each list
 * emptied, each field null, each field missing. Keyed "<variant>".
 */
export function variantsOf(sample) {
  const variants = {};
  for (const [key, value] of Object.entries(sample)) {
    if (typeof value === 'boolean') variants[`not-${key}`] = { ...sample, [key]: !value };
    if (Array.isArray(value) && value.length > 0) variants[`no-${key}`] = { ...sample, [key]: [] };
    variants[`null-${key}`] = { ...sample, [key]: null };
    const { [key]: _, ...without } = sample;
    variants[`without-${key}`] = without;
  }
  return variants;
}

/**
 * Binds the samples in `samplesFolder` with the bot's own binder (tests/CardBind). Returns the cards keyed
 * "<template>" or "<template>.<variant>", and what it refused to bind, keyed the same, with its reason.
 */
export function bindWithOurBinder(samplesFolder) {
  if (!fs.existsSync(cardBindDll)) {
    throw new Error(`${cardBindDll} is missing: run \`dotnet build -c Release EmpowerBot.sln\` first.`);
  }
  const run = spawnSync('dotnet', [cardBindDll, cardsDir, samplesFolder], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (run.error) throw run.error;
  if (run.status !== 0 && run.status !== 1) throw new Error(`CardBind exited ${run.status}: ${run.stderr}`);
  const refused = {};
  for (const line of run.stderr.split('\n').filter(Boolean)) {
    const colon = line.indexOf(': ');
    if (colon > 0) refused[line.slice(0, colon)] = line.slice(colon + 2);
  }
  return { cards: JSON.parse(run.stdout), refused };
}

/** The official engine: `new ACData.Template(template).expand({ $root: data })`, as JSON (undefined values dropped). */
export function bindWithOfficialEngine(template, data) {
  return JSON.parse(JSON.stringify(new ACData.Template(template).expand({ $root: data })));
}

/** The problems the official object model reports for a card: parse events and validation results. */
export function officialParseProblems(card) {
  const parsed = new AdaptiveCards.AdaptiveCard();
  const context = new AdaptiveCards.SerializationContext();
  parsed.parse(card, context);
  const events = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
  events.push(...parsed.validateProperties().validationEvents);
  return events.map((e) => `${AdaptiveCards.ValidationEvent[e.event] ?? e.event}: ${e.message}`);
}

/**
 * The text a person should see on a card as first shown: text blocks, facts, input labels and button titles
 * (not the refresh action, nor what an Action.ShowCard hides until clicked).
 */
export function visibleTexts(card) {
  const texts = [];
  (function visit(node, key) {
    if (key === 'refresh' || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((item) => visit(item));
      return;
    }
    if (node.type === 'TextBlock') texts.push(node.text);
    if (node.type === 'FactSet') for (const fact of node.facts ?? []) texts.push(fact.title, fact.value);
    if (typeof node.type === 'string' && node.type.startsWith('Input.')) texts.push(node.label);
    if (typeof node.type === 'string' && node.type.startsWith('Action.')) {
      texts.push(node.title);
      return;
    }
    for (const [childKey, value] of Object.entries(node)) visit(value, childKey);
  })(card);
  return texts.filter((t) => typeof t === 'string' && t.trim() !== '');
}
