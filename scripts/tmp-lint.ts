import { runCfnLint, runControlTowerGuard } from '../test/support/template-checkers';
const files = process.argv.slice(2);
const f = runCfnLint(files);
for (const x of f) console.log(x.level, x.rule, x.file.split('/').pop(), x.path, x.message.slice(0,200));
console.log('errors', f.filter(x=>x.level==='error').length, 'warnings', f.filter(x=>x.level==='warning').length);
if (process.env.GUARD) for (const file of files) { const g = runControlTowerGuard(file); console.log(file.split('/').pop(), 'guard', g.length, JSON.stringify(g.map(x => [x.controlId, x.ruleName, x.logicalId]))); }
