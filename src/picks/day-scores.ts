/**
 * A reader's scores of the day as the ReadonlyMap that ReaderPlan.scores promises, without a
 * Map per reader: the day's paper ids → index map is shared by every reader, and each reader
 * holds one Float64Array. At 20,000 readers of a 300-paper day that is 2.4 KB a reader instead
 * of a 300-entry Map each.
 */
export class DayScores implements ReadonlyMap<string, number> {
  constructor(
    private readonly index: ReadonlyMap<string, number>,
    private readonly scores: Float64Array,
  ) {}

  get size(): number {
    return this.index.size;
  }

  get(id: string): number | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.scores[i];
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  *entries(): MapIterator<[string, number]> {
    for (const [id, i] of this.index) yield [id, this.scores[i]!];
  }

  *keys(): MapIterator<string> {
    yield* this.index.keys();
  }

  *values(): MapIterator<number> {
    for (const i of this.index.values()) yield this.scores[i]!;
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }

  forEach(fn: (value: number, key: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [id, i] of this.index) fn(this.scores[i]!, id, this);
  }

  /** A plain object for JSON (`render --subscriber --json`, /admin). */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.entries());
  }
}
