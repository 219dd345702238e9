// Entry of the `lemari` command (bin/lemari.js loads the built copy of this file).
import { runCli } from './run';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTty: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
