// Builds a WHERE clause from optional filters, keeping each condition beside its parameter.
export class Where {
  private readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  /** Adds `sql` (with one `?`) when value is set; empty strings and undefined add nothing. */
  add(sql: string, value: unknown): this {
    if (value !== undefined && value !== null && value !== '') {
      this.conditions.push(sql);
      this.params.push(value);
    }
    return this;
  }

  get clause(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
