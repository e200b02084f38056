import type { SystemEntityName } from '../../pack/index.js';

/**
 * A detector's proposal, in offsets of the NORMALISED text. The resolver maps it back to the original text and keeps
 * the highest-priority proposals that do not overlap.
 */
export interface Candidate {
  readonly entity: SystemEntityName;
  readonly start: number;
  readonly end: number;
  readonly value: string | number;
  readonly priority: number;
  readonly courier?: string;
  readonly currency?: string;
  readonly unit?: string;
  readonly kind?: string;
}

/**
 * Base priority of each entity when spans overlap: contact details and checksummed codes beat plain digit runs,
 * dates beat the numbers inside them, money and quantities beat bare numbers. A context cue (`订单号`, `卡号`, …) adds
 * {@link CUE_BOOST} to the entity it names, so `订单号13812345678` can be an order id under a custom pattern.
 */
export const ENTITY_PRIORITY: Readonly<Record<SystemEntityName, number>> = {
  email: 100,
  url: 95,
  id_card: 90,
  bank_card: 85,
  phone: 80,
  tracking_number: 75,
  order_id: 70,
  datetime: 61,
  date: 60,
  money: 50,
  quantity: 40,
  number: 30,
};

/** Added to a candidate whose entity is named by the nearest context cue before it. */
export const CUE_BOOST = 50;
