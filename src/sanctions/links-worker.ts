import { parentPort, workerData } from 'node:worker_threads';
import { type LinkWorkerData, parsedLists, resolveLinks } from './links.ts';

/** Resolves cross-list links off the bot's thread (`resolveOffThread` in links.ts) and posts them back. */
const { searches, lists } = workerData as LinkWorkerData;
parentPort?.postMessage(resolveLinks(searches, parsedLists(lists)));
