// Renders Graphviz DOT from stdin to SVG on stdout with the WebAssembly build of Graphviz (@viz-js/viz), offline.
// A child process, because the WebAssembly module only loads asynchronously and the reports are written synchronously.

const { instance } = require('@viz-js/viz');

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  instance().then((viz) => {
    const result = viz.render(Buffer.concat(chunks).toString('utf8'), { format: 'svg' });
    if (result.status !== 'success') {
      process.stderr.write(`${result.errors.map((e) => `${e.level ?? 'error'}: ${e.message}`).join('\n')}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(result.output);
  });
});
