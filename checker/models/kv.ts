/**
 * A map of independent cas registers, one per `key`: checked key by key (P-compositionality), so
 * each part is a plain cas-register history.
 */
import { partitionByKey, type Model } from '../model.js';
import { casRegister } from './cas-register.js';

/** The `kv` model. */
export const kv: Model<unknown> = {
  ...casRegister,
  name: 'kv',
  partition: partitionByKey,
  validate: (op) => (op.key === undefined ? `kv ops need a "key"` : casRegister.validate!(op)),
};
