/**
 * What every runtime's started cluster shares: its nodes found by name, and a teardown that runs
 * once however often it is asked (the runner's finally, Ctrl-C and `await using` may all ask).
 */
import type { ClusterCapabilities, RuntimeName, StartedCluster, StartedNode } from './runtime.js';

/** The common part of a started cluster; a runtime supplies its name, capabilities and `doTeardown`. */
export abstract class ClusterBase<N extends StartedNode> implements StartedCluster {
  abstract readonly runtime: RuntimeName;
  abstract readonly capabilities: ClusterCapabilities;
  private tearingDown: Promise<void> | undefined;

  protected constructor(
    readonly runId: string,
    protected readonly members: N[],
  ) {}

  get nodes(): readonly N[] {
    return this.members;
  }

  /** Adds a node while starting. */
  add(node: N): void {
    this.members.push(node);
  }

  node(name: string): N {
    const found = this.members.find((n) => n.name === name);
    if (!found) throw new Error(`no node named ${name} (have ${this.members.map((n) => n.name).join(', ')})`);
    return found;
  }

  teardown(): Promise<void> {
    this.tearingDown ??= this.doTeardown();
    return this.tearingDown;
  }

  /** Stops every daemon and removes all this cluster created; called once, by `teardown`. */
  protected abstract doTeardown(): Promise<void>;

  [Symbol.asyncDispose](): Promise<void> {
    return this.teardown();
  }
}
