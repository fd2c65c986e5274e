/**
 * `npm run bench:postgres` (until the suite's `npm run bench` runs it as a section):
 * runs the PostgreSQL benchmarks and prints their table. `--quick`: few repetitions.
 */
import { postgresBench } from './postgres.js';

const result = await postgresBench({ quick: process.argv.includes('--quick') });
console.log(`## ${result.title}\n`);
console.log('| metric | value | unit | target |\n|---|---:|---|---|');
for (const r of result.rows) {
  const target = r.target
    ? `${r.target.op} ${r.target.value} ${r.pass ? '(met)' : '(missed)'}`
    : '';
  console.log(`| ${r.metric} | ${r.value} | ${r.unit} | ${target} |`);
}
console.log(`\n${JSON.stringify(result.details, null, 2)}`);
