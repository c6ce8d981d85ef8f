/**
 * Through a tceops server, a change's progress comes on the command's own response (the server's waiters,
 * streamed: core's server/stream.ts) instead of the editor polling the server: each state a target reaches
 * updates its row and the progress notice, as polling does in local mode, and the end is said the same way
 * ("Stop: web-1 is STOPPED."). A stream that breaks off is said plainly: the change was sent once and stands,
 * nothing is sent again; the tree then reads the rows as in local mode. A server that streams no progress (its
 * waiters off, or an older server) is followed as in local mode too.
 * What the server sends is untrusted: a row takes only a state word from it, and the notices show only text
 * made here from the rows, or made inert.
 */
import { inert } from '@tceops/core';
import * as vscode from 'vscode';
import type { EnginePort, ProgressEvent } from '../engine-port.ts';
import type { ResourceNode } from '../tree/nodes.ts';
import { label } from './definitions.ts';

/** The events of an engine from before the command is sent (they may come before its outcome is read). */
export interface ProgressFeed {
  /** Settles when the engine's streams have ended (done, broken, or never offered). */
  idle(): Promise<void>;
  /** Hands over the events of one plan, those already seen first, then each as it comes. */
  follow(planHash: string, each: (event: ProgressEvent) => void): void;
  stop(): void;
}

/** A bound on what is kept before the plan is known (a command has a handful of targets). */
const EARLY_MAX = 1000;

/** Listens to a server's engine; undefined for a local one (local mode follows the rows by polling). */
export function listenForProgress(engine: EnginePort): ProgressFeed | undefined {
  if (!engine.idle) return undefined;
  const early: ProgressEvent[] = [];
  let forward: ((event: ProgressEvent) => void) | undefined;
  const stop = engine.onProgress((event) => {
    if (forward) forward(event);
    else if (early.length < EARLY_MAX) early.push(event);
  });
  return {
    idle: () => engine.idle?.() ?? Promise.resolve(),
    follow(planHash, each) {
      forward = (event) => event.planHash === planHash && each(event);
      for (const event of early.splice(0)) forward(event);
    },
    stop,
  };
}

/**
 * The progress of a run heard on another stream (the approvals stream: one of my requests, approved and run on
 * the server), fed in by its listener: `push` each event of that run, `end` when the server no longer follows it.
 */
export function relayFeed(): ProgressFeed & { push(event: ProgressEvent): void; end(): void } {
  const early: ProgressEvent[] = [];
  let forward: ((event: ProgressEvent) => void) | undefined;
  let ended!: () => void;
  const idle = new Promise<void>((resolve) => {
    ended = resolve;
  });
  let over = false;
  return {
    idle: () => idle,
    follow(planHash, each) {
      forward = (event) => event.planHash === planHash && each(event);
      for (const event of early.splice(0)) forward(event);
    },
    stop() {
      over = true;
      forward = undefined;
      ended();
    },
    push(event) {
      if (over) return;
      if (forward) forward(event);
      else if (early.length < EARLY_MAX) early.push(event);
    },
    end() {
      over = true;
      ended();
    },
  };
}

/** The state word a row may show (`STOPPED (ResizeInstance running)` → STOPPED); anything else is not taken. */
export function stateWord(state: string): string | undefined {
  const word = /^[A-Z][A-Z_]{0,31}(?![\w])/.exec(state)?.[0];
  // Neither is a state of the instance: GONE is read back (the row goes), UNKNOWN is not shown as fact.
  return word === 'GONE' || word === 'UNKNOWN' ? undefined : word;
}

/**
 * Text from the server for a notice: controls and invisible characters written out, `$(icon)` shown as typed,
 * and `[text](link)` broken up (a notice turns it into a link that runs when clicked). One line, bounded.
 */
export function noticeText(text: string, max = 300): string {
  const shown = inert(text.length > max ? `${text.slice(0, max)}…` : text);
  return shown.replace(/\$\(/g, '\\$(').replace(/\]\(/g, '] (');
}

export interface StreamEnd {
  /** Every target reached its end state on the stream. */
  done: boolean;
  /** Why live progress stopped, or never began (a refused stream): inert. */
  lost?: string;
}

/**
 * Follow one plan's targets on its stream until each is done, the stream ends or breaks, or `timeoutMs` passes,
 * updating the rows (`refresh` redraws one) and a progress notice titled like the action.
 */
export async function followStream(
  title: string,
  nodes: ResourceNode[],
  planHash: string,
  feed: ProgressFeed,
  refresh: (node: ResourceNode) => void,
  timeoutMs: number,
): Promise<StreamEnd> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const done = new Set<string>();
  let lost: string | undefined;
  const states = () => nodes.map((n) => `${label(n)} ${String(n.item.InstanceState ?? 'gone')}`).join(', ');
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: false },
      async (progress) => {
        let finish!: () => void;
        const finished = new Promise<void>((resolve) => {
          finish = resolve;
        });
        progress.report({ message: `${noticeText(states())}…` });
        feed.follow(planHash, (event) => {
          // An event with no target is the stream's own word: it broke off.
          if (!event.targetId) {
            // "the server's progress stopped (why); the outcome above stands" (core's remote.ts): the why.
            lost = noticeText(/\((.*)\)/.exec(event.message)?.[1] ?? event.message);
            return finish();
          }
          for (const id of event.targetId.split(',')) {
            const node = byId.get(id);
            if (!node) continue;
            const state = stateWord(event.state);
            if (state && state !== node.item.InstanceState) {
              node.item = { ...node.item, InstanceState: state };
              refresh(node);
            }
            if (event.done) done.add(id);
          }
          progress.report({ message: `${noticeText(states())}…` });
          if (nodes.every((n) => done.has(n.id))) finish();
        });
        const timer = setTimeout(finish, timeoutMs);
        timer.unref?.();
        await Promise.race([finished, feed.idle()]);
        clearTimeout(timer);
      },
    );
  } finally {
    feed.stop();
  }
  return { done: nodes.every((n) => done.has(n.id)), ...(lost ? { lost } : {}) };
}
