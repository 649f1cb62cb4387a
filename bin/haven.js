#!/usr/bin/env node
// The `haven` command. Plain JavaScript on purpose: it must be able to say "too old" on any Node.
const [major] = process.versions.node.split('.').map(Number);
if (major < 24) {
  process.stderr.write(
    `haven: Node.js 24 or newer is required; this is Node.js ${process.versions.node}.\n` +
      '  Run it through npm (npm start, npm exec haven) to use the Node 24 that npm ci installs,\n' +
      '  or install Node.js 24 LTS.\n',
  );
  process.exit(2);
}
const { runCli } = await import('../src/cli.ts');
process.exit(await runCli(process.argv.slice(2)));
