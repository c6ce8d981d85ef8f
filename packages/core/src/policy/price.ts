/**
 * Price conditions in policy rules: `price: ">= 10/h"`, `price: "> 5000/month"`, `priceChange: "> 0/h"`, and
 * `unavailable` for plans whose price could not be had. Hourly and monthly figures compare through 720 hours a
 * month, so one threshold covers pay-as-you-go rates and prepaid payments alike.
 */
import type { Plan, PlanPrice } from '../plan/types.ts';

export const HOURS_PER_MONTH = 720;

export type PriceCondition =
  | { kind: 'unavailable' }
  | { kind: 'compare'; op: '<' | '<=' | '>' | '>=' | '='; amount: number; per: 'hour' | 'month'; text: string };

const PATTERN = /^(<=|>=|<|>|=)?\s*¥?\s*(-?\d+(?:\.\d+)?)\s*\/\s*(h|hour|m|month)$/i;

/** A condition from its text, or a problem saying what was expected. */
export function parsePriceCondition(text: string): PriceCondition | string {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'unavailable') return { kind: 'unavailable' };
  const m = PATTERN.exec(trimmed);
  if (!m)
    return `"${text}" is not a price condition; write e.g. ">= 10/h", "> 5000/month" or "unavailable" (quote it in YAML)`;
  return {
    kind: 'compare',
    op: (m[1] ?? '=') as '<' | '<=' | '>' | '>=' | '=',
    amount: Number(m[2]),
    per: m[3]!.toLowerCase().startsWith('h') ? 'hour' : 'month',
    text: trimmed,
  };
}

/** A plan's figure per hour: the price after the change, or the change itself. Undefined when there is none. */
export function hourlyFigure(price: PlanPrice | undefined, field: 'price' | 'change'): number | undefined {
  if (!price || price.unavailable !== undefined) return undefined;
  const value =
    field === 'price'
      ? price.after
      : (price.change ??
        (price.after !== undefined && price.before !== undefined ? price.after - price.before : undefined) ??
        // A creation or a payment changes the bill by its whole price.
        price.after);
  if (value === undefined) return undefined;
  return price.unit === 'hour' ? value : value / ((price.months ?? 1) * HOURS_PER_MONTH);
}

function compare(op: string, a: number, b: number): boolean {
  const epsilon = 1e-9;
  switch (op) {
    case '<':
      return a < b - epsilon;
    case '<=':
      return a <= b + epsilon;
    case '>':
      return a > b + epsilon;
    case '>=':
      return a >= b - epsilon;
    default:
      return Math.abs(a - b) <= epsilon;
  }
}

/** Whether any of the conditions holds for the plan (a plan without a price matches only "unavailable"). */
export function priceMatches(conditions: string[], plan: Plan, field: 'price' | 'change'): boolean {
  const unavailable = !plan.price || plan.price.unavailable !== undefined;
  const figure = hourlyFigure(plan.price, field);
  return conditions.some((text) => {
    const c = parsePriceCondition(text);
    if (typeof c === 'string') return false;
    if (c.kind === 'unavailable') return unavailable && plan.price !== undefined;
    if (figure === undefined) return false;
    const value = c.per === 'hour' ? figure : figure * HOURS_PER_MONTH;
    return compare(c.op, value, c.amount);
  });
}

/** "¥0.24/h (¥172.80/month)": the figure a rule compared, for explanations. */
export function figureText(plan: Plan, field: 'price' | 'change'): string {
  const figure = hourlyFigure(plan.price, field);
  if (figure === undefined) return plan.price?.unavailable !== undefined ? 'unavailable' : 'none';
  return `¥${figure.toFixed(4).replace(/0+$/, '').replace(/\.$/, '')}/h (¥${(figure * HOURS_PER_MONTH).toFixed(2)}/month)`;
}
