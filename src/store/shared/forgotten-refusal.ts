/**
 * The error both stores raise when an operator adds, as anything but pending, an address that
 * was forgotten at its owner's request (subscribers/forgotten-address.ts): bad input, one line.
 */
import { InputError } from '../../errors.js';

export const forgottenRefusal = (email: string) =>
  new InputError(`${email} was forgotten at its owner's request; it cannot be added again`, 'only its owner can come back, by confirming a subscription through the subscribe form');
