// `lemari-server`: starts the central DMS server, or administers it (see cli.ts).
import { runCli } from './cli';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
