// `npm start` builds the web app first when the build is missing (a fresh clone).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!fs.existsSync(`${root}web/dist/index.html`)) {
  process.stdout.write('Building the web app (first start only)...\n');
  const started = performance.now();
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('haven: building the web app failed\n');
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`Web app built in ${Math.round(performance.now() - started)} ms.\n`);
}
