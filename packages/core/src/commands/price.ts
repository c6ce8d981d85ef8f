/**
 * The price step: a plan that creates, resizes, reinstalls or renews asks TCE's matching InquiryPrice* action what
 * it will cost, before anyone confirms. The price goes into the plan (and its hash), so a price that moves between
 * the request and its approval makes the approval stale. When there is no price, the plan says why.
 */
import type { TceClient } from '../api/client.ts';
import { ApiError, InputError } from '../api/errors.ts';
import { buildPlan } from '../plan/summary.ts';
import type { Plan, PlannedCall, PlanPrice } from '../plan/types.ts';

interface ItemPrice {
  UnitPrice?: number;
  UnitPriceDiscount?: number;
  ChargeUnit?: string;
  OriginalPrice?: number;
  DiscountPrice?: number;
}

type Quote = { amount: number; unit: 'hour' | 'period' };

const round = (n: number) => Math.round(n * 10000) / 10000;

/** An ItemPrice as one figure: the discounted hourly rate, else the discounted price paid up front. */
export function readItemPrice(item: ItemPrice | null | undefined): Quote | undefined {
  if (!item) return undefined;
  const hourly = item.UnitPriceDiscount ?? item.UnitPrice;
  if (typeof hourly === 'number') return { amount: hourly, unit: 'hour' };
  const upFront = item.DiscountPrice ?? item.OriginalPrice;
  if (typeof upFront === 'number') return { amount: upFront, unit: 'period' };
  return undefined;
}

async function inquire(client: TceClient, call: PlannedCall, action: string, params: Record<string, unknown>) {
  const response = await client.call<{ Price?: { InstancePrice?: ItemPrice; BandwidthPrice?: ItemPrice } }>(
    call.service,
    action,
    params,
    { region: call.region, version: call.version },
  );
  return response.Price ?? {};
}

/** Sum several quotes of one unit (batches, one call per target). */
function add(quotes: Quote[]): Quote | undefined {
  if (quotes.length === 0) return undefined;
  const unit = quotes[0]!.unit;
  if (quotes.some((q) => q.unit !== unit)) return undefined;
  return { amount: round(quotes.reduce((sum, q) => sum + q.amount, 0)), unit };
}

function unavailable(source: string | undefined, why: string): PlanPrice {
  return { currency: 'CNY', unit: 'hour', unavailable: why, ...(source ? { source } : {}) };
}

/** Quote every call of the plan with `action`, given the params each inquiry takes. */
async function quoteCalls(
  client: TceClient,
  plan: Plan,
  action: string,
  paramsOf: (call: PlannedCall) => Record<string, unknown>,
  withBandwidth = false,
): Promise<Quote | undefined> {
  const quotes: Quote[] = [];
  for (const call of plan.calls) {
    const price = await inquire(client, call, action, paramsOf(call));
    const instance = readItemPrice(price.InstancePrice);
    if (!instance) return undefined;
    quotes.push(instance);
    const bandwidth = withBandwidth ? readItemPrice(price.BandwidthPrice) : undefined;
    // Bandwidth is billed by the hour; it is added when the instance is too, else left to the bandwidth bill.
    if (bandwidth && bandwidth.unit === instance.unit && bandwidth.amount > 0) quotes.push(bandwidth);
  }
  return add(quotes);
}

/** The hourly list price of a type in a zone, from DescribeZoneInstanceConfigInfos (the "before" of a resize). */
async function listPrice(client: TceClient, region: string, zone: string, type: string): Promise<number | undefined> {
  const response = await client.call<{ InstanceTypeQuotaSet?: { Price?: ItemPrice; InstanceChargeType?: string }[] }>(
    'cvm',
    'DescribeZoneInstanceConfigInfos',
    {
      Filters: [
        { Name: 'zone', Values: [zone] },
        { Name: 'instance-type', Values: [type] },
        { Name: 'instance-charge-type', Values: ['POSTPAID_BY_HOUR'] },
      ],
    },
    { region },
  );
  const row = (response.InstanceTypeQuotaSet ?? []).find((r) => r.InstanceChargeType !== 'PREPAID');
  const quote = readItemPrice(row?.Price);
  return quote?.unit === 'hour' ? quote.amount : undefined;
}

type Pricer = (client: TceClient, plan: Plan) => Promise<PlanPrice>;

function fromQuote(source: string, quote: Quote | undefined, months?: number): PlanPrice {
  if (!quote) return unavailable(source, `${source} answered no price`);
  return quote.unit === 'hour'
    ? { currency: 'CNY', unit: 'hour', after: quote.amount, source }
    : { currency: 'CNY', unit: 'period', months: months ?? 1, after: quote.amount, source };
}

const PRICERS: Record<string, Pricer> = {
  'cvm:RunInstances': async (client, plan) => {
    const source = 'InquiryPriceRunInstances';
    // The same parameters as the launch, minus what an inquiry does not take (and never a password).
    const quote = await quoteCalls(
      client,
      plan,
      source,
      ({ params }) => {
        const {
          ClientToken: _t,
          LoginSettings: _l,
          TagSpecification: _g,
          HostName: _h,
          UserData: _u,
          ...rest
        } = params as Record<string, unknown>;
        return rest;
      },
      true,
    );
    const months = (plan.calls[0]?.params.InstanceChargePrepaid as { Period?: number } | undefined)?.Period;
    return fromQuote(source, quote, months);
  },
  'cvm:ResetInstancesType': async (client, plan) => {
    const source = 'InquiryPriceResetInstancesType';
    const quote = await quoteCalls(client, plan, source, ({ params }) => ({
      InstanceIds: params.InstanceIds,
      InstanceType: params.InstanceType,
    }));
    const price = fromQuote(source, quote);
    if (price.unit !== 'hour' || price.after === undefined) return price;
    // Before: what the targets' current types cost in their zones, from the same price list TCE sells from.
    let before = 0;
    for (const target of plan.targets) {
      const current =
        target.zone && target.type ? await listPrice(client, plan.region, target.zone, target.type) : undefined;
      if (current === undefined) return price;
      before += current;
    }
    return { ...price, before: round(before), change: round(price.after - before) };
  },
  'cvm:ResizeInstanceDisks': async (client, plan) => {
    const source = 'InquiryPriceResizeInstanceDisks';
    const quote = await quoteCalls(client, plan, source, ({ params }) => ({
      InstanceId: params.InstanceId,
      SystemDisk: params.SystemDisk,
    }));
    // TCE quotes the instance with its disk at the new size.
    return fromQuote(source, quote);
  },
  'cvm:ResetInstance': async (client, plan) => {
    const source = 'InquiryPriceResetInstance';
    const quote = await quoteCalls(client, plan, source, ({ params }) => {
      const { InstanceId, ImageId, SystemDisk } = params as Record<string, unknown>;
      return { InstanceId, ...(ImageId ? { ImageId } : {}), ...(SystemDisk ? { SystemDisk } : {}) };
    });
    return fromQuote(source, quote);
  },
  'cvm:RenewInstances': async (client, plan) => {
    const source = 'InquiryPriceRenewInstances';
    // RenewInstances itself takes no period in the docs: the renewal is priced for one month, as it renews.
    const quote = await quoteCalls(client, plan, source, ({ params }) => ({
      InstanceIds: params.InstanceIds,
      InstanceChargePrepaid: { Period: 1 },
    }));
    return fromQuote(source, quote, 1);
  },
  'cfs:CreateCfsFileSystem': async () =>
    unavailable(undefined, 'the CFS API has no price inquiry; CFS bills the capacity used, by the hour'),
  'cfs:UpdateCfsFileSystemSizeLimit': async () =>
    unavailable(undefined, 'the CFS API has no price inquiry; a limit changes no price until the capacity is used'),
};

/** Whether plans of this call are priced. */
export function isPriced(service: string, action: string): boolean {
  return `${service}:${action}` in PRICERS;
}

/**
 * The plan's price, or undefined for plans that carry none. TCE refusing to quote gives "unavailable: why";
 * a failure to reach TCE is thrown, so a passing fault never changes a plan's hash.
 */
export async function priceOf(client: TceClient, plan: Plan): Promise<PlanPrice | undefined> {
  const first = plan.calls[0];
  if (!first) return undefined;
  const pricer = PRICERS[`${first.service}:${first.action}`];
  if (!pricer) return undefined;
  try {
    return await pricer(client, plan);
  } catch (error) {
    if (error instanceof ApiError) return unavailable(error.action, `${error.code}: ${error.apiMessage}`);
    if (error instanceof InputError) return unavailable(undefined, error.message.split('\n')[0]!);
    throw error;
  }
}

/** The plan with its price (and a new hash). */
export async function withPrice(client: TceClient, plan: Plan): Promise<Plan> {
  const price = await priceOf(client, plan);
  if (!price && !plan.price) return plan;
  const { hash: _hash, price: _old, ...rest } = plan;
  return buildPlan({ ...rest, ...(price ? { price } : {}) });
}
