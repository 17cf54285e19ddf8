/**
 * The error both stores raise when an operator adds, as anything but pending, an address that
 * was forgotten at its owner's request (subscribers/forgotten-address.ts), or adds or updates
 * the pending row its owner's new sign-up made before they confirmed it (confirming lifts the
 * mark): bad input, one line. Only the subscribe form makes that pending row.
 */
import { InputError } from '../../errors.js';

const HINT = 'only its owner can come back, by confirming a subscription through the subscribe form';

export const forgottenRefusal = (email: string, pendingSignUp = false) =>
  pendingSignUp
    ? new InputError(`${email} was forgotten at its owner's request and has not confirmed its new sign-up yet; it cannot be added or updated until then`, HINT)
    : new InputError(`${email} was forgotten at its owner's request; it cannot be added again`, HINT);

/**
 * Whether an upsert must be refused when the address carries a forgotten mark: every one but
 * the subscribe form's, which makes a new row as pending.
 */
export const markRefusesUpsert = (existing: boolean, status: string | undefined) => existing || (status ?? 'active') !== 'pending';
