/**
 * The built-in models, by name. A model is a small pure module (see register.ts for the
 * simplest); add one by writing its file and listing it here.
 */
import type { Model } from '../model.js';
import { casRegister } from './cas-register.js';
import { kvAppend } from './kv-append.js';
import { kv } from './kv.js';
import { mutex } from './mutex.js';
import { register } from './register.js';

/** Every built-in model, by its `--model` name. */
export const MODELS: Readonly<Record<string, Model<never>>> = {
  register,
  'cas-register': casRegister,
  kv,
  'kv-append': kvAppend,
  mutex,
} as unknown as Record<string, Model<never>>;

/** Looks a built-in model up by name; the error lists the valid names. */
export function modelByName(name: string): Model<unknown> {
  const model = MODELS[name];
  if (!model) throw new Error(`unknown model "${name}"; choose one of: ${Object.keys(MODELS).join(', ')}`);
  return model as unknown as Model<unknown>;
}
