/**
 * The last doctor result, kept so /admin can show it: `paperpost doctor` and the scheduler's
 * daily run save what they found (with when), in the store's key-value table, which every
 * process of an installation shares. One record, replaced each time: the log holds history.
 */
import type { Meta } from '../../store/store.js';
import type { CheckResult } from './doctor-check.js';

/** The key the record lives under. */
const KEY = 'doctor:last';

/** What the last run found, and when and by whom it ran. */
export interface DoctorRecord {
  at: string;
  /** 'doctor' (the command) or 'schedule' (the daily run). */
  by: string;
  results: CheckResult[];
}

/** Saves `results` as the last doctor result. */
export async function saveDoctorResult(meta: Meta, record: DoctorRecord): Promise<void> {
  await meta.setMeta(KEY, JSON.stringify(record));
}

/** The last doctor result, or null when the doctor has never run (or the record is unreadable). */
export async function loadDoctorResult(meta: Meta): Promise<DoctorRecord | null> {
  const text = await meta.getMeta(KEY);
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as DoctorRecord;
    return Array.isArray(parsed.results) && typeof parsed.at === 'string' ? parsed : null;
  } catch {
    return null;
  }
}
