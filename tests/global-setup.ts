// vitest globalSetup: one PostgreSQL cluster for the whole run (see helpers/postgres.ts).
import type { TestProject } from 'vitest/node';
import { startCluster, type TestCluster } from './helpers/postgres';

let cluster: TestCluster | undefined;

export async function setup(project: TestProject) {
  cluster = await startCluster();
  project.provide('postgresUrl', cluster.url);
}

export async function teardown() {
  await cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
