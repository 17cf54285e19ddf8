/**
 * BOUNCE_DOMAIN's MX: bounces addressed to the VERP Return-Path only come back if the bounce
 * domain has a mail exchanger (the host running `paperpost bounces serve`, or the mailbox
 * `paperpost bounces fetch` reads).
 */
import { isNoRecord, type CheckResult, type Resolver } from './doctor-check.js';

/** 1. Look up MX; 2. ok with the exchangers, or a failure with the record to publish. */
export async function checkBounceMx(bounceDomain: string, resolver: Resolver): Promise<CheckResult> {
  const name = `MX ${bounceDomain}`;
  let mx: { exchange: string; priority: number }[] = [];
  try {
    mx = (await resolver(bounceDomain, 'MX')) as typeof mx;
  } catch (e) {
    if (!isNoRecord(e)) return { name, status: 'failure', message: `cannot look up MX of ${bounceDomain}: ${(e as Error).message}` };
  }
  const hosts = mx.filter((m) => m.exchange && m.exchange !== '.').sort((a, b) => a.priority - b.priority);
  if (!hosts.length) {
    return { name, status: 'failure', message: `no MX for ${bounceDomain}: bounces cannot come back`, publish: `${bounceDomain} MX 10 <the host running paperpost bounces serve>` };
  }
  return { name, status: 'ok', message: `bounces go to ${hosts.map((m) => `${m.exchange} (${m.priority})`).join(', ')}` };
}
