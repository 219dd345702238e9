// How Node runs the central server in production. A larger young generation (the
// scavenger's semi-spaces) lets the stream of 64 KiB socket chunks of an upload die young
// instead of being promoted and swept by full collections: in five alternated pairs the
// server's CPU per GiB uploaded fell by 0.2-0.5 s (5-17%) and tus gained 0.06-0.23 of a plain
// PUT (docs/PERFORMANCE.md, server-upload). Flags of the heap's shape are
// read when the process starts, so they are on the command line: bin/lemari-server.js's
// shebang, `npm run server`, the systemd unit in docs/DEPLOY.md and the benches all pass
// these (runtime.test.ts keeps them in step).
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'] as const;
