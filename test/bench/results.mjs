// The bench's results: one row per measure, with its goal (when it has one), the ratio to the goal and pass/fail;
// printed as a table and written as a JSON summary.

export class Results {
  rows = [];
  scenarios = {};
  errors = [];

  /**
   * A measure. `goal` with `comparison` '<=' (at most, the default), '<' (below) or '=' (exactly; the ratio is then
   * left out); without `goal` the row is information only. `digits`: decimals shown.
   */
  add(scenario, measure, value, { unit = '', goal, comparison = '<=', digits = 2 } = {}) {
    const hasGoal = goal !== undefined;
    const ratio = hasGoal && comparison !== '=' && goal !== 0 ? value / goal : null;
    const pass = !hasGoal ? null : comparison === '<' ? value < goal : comparison === '=' ? value === goal : value <= goal;
    this.rows.push({
      scenario,
      measure,
      value: round(value, 4),
      unit,
      goal: hasGoal ? goal : null,
      comparison: hasGoal ? comparison : null,
      ratio: ratio === null ? null : round(ratio, 3),
      pass,
      digits,
    });
  }

  /** A scenario's own figures (counts by operation, summaries) for the JSON summary. */
  detail(key, data) {
    this.scenarios[key] = data;
  }

  /** A scenario that could not be measured: a failed row, so that the table says so. */
  error(scenario, error) {
    const message = error instanceof Error ? error.message : String(error);
    this.errors.push({ scenario, message });
    this.rows.push({
      scenario,
      measure: 'error',
      value: null,
      unit: '',
      goal: null,
      comparison: null,
      ratio: null,
      pass: false,
      digits: 0,
      error: message.split('\n')[0],
    });
  }

  get failed() {
    return this.rows.filter((row) => row.pass === false).length;
  }
  get passed() {
    return this.rows.filter((row) => row.pass === true).length;
  }

  table() {
    const header = ['scenario', 'measure', 'value', 'goal', 'ratio', 'result'];
    let previous;
    const lines = this.rows.map((row) => {
      const scenario = row.scenario === previous ? '' : row.scenario;
      previous = row.scenario;
      const unit = row.unit === 'x' ? 'x' : row.unit ? ` ${row.unit}` : '';
      const value = row.value === null ? 'not measured' : `${row.value.toFixed(row.digits)}${unit}`;
      const goal = row.goal === null ? '' : `${row.comparison === '<=' ? '≤' : row.comparison} ${row.goal}${unit}`;
      const ratio = row.ratio === null ? '' : `${row.ratio.toFixed(2)}`;
      const result = row.pass === null ? '' : row.pass ? 'pass' : 'FAIL';
      return [scenario, row.measure, value, goal, ratio, result];
    });
    const widths = header.map((title, i) =>
      Math.max(title.length, ...lines.map((line) => (i === 2 && line[5] === 'FAIL' && line[1] === 'error' ? 0 : line[i].length))),
    );
    const pad = (cells) =>
      cells
        .map((cell, i) => (i === 2 || i === 4 ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd();
    const errors = this.errors.map(({ scenario, message }) => `${scenario}: ${message.split('\n')[0]}`);
    return [pad(header), pad(widths.map((w) => '-'.repeat(w))), ...lines.map(pad), ...errors].join('\n');
  }

  summary(meta) {
    return {
      ...meta,
      passed: this.passed,
      failed: this.failed,
      results: this.rows.map(({ digits: _digits, ...row }) => row),
      scenarios: this.scenarios,
      errors: this.errors,
    };
  }
}

function round(value, digits) {
  if (value === null || !Number.isFinite(value)) return value;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
