// Entry of the `lemari` command (bin/lemari.js loads the built copy of this file).
import { createInterface } from 'node:readline/promises';
import { runCli } from './run';

/** Asks on the terminal; a hidden answer (a password) is not echoed. */
async function prompt(question: string, hidden: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (hidden) {
    // readline echoes what is typed; mute its output after the question is written.
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput.bind(rl);
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.includes(question)) write(s);
    };
  }
  try {
    const answer = await rl.question(question);
    if (hidden) process.stderr.write('\n');
    return answer;
  } finally {
    rl.close();
  }
}

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTty: Boolean(process.stderr.isTTY),
  prompt: process.stdin.isTTY ? prompt : undefined,
});
process.exitCode = code;
