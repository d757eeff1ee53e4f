/**
 * Faults that cannot be injected are refused before anything starts. Local nodes sharing the
 * host's network stack (loopback isolation, as without root) must never get iptables rules:
 * a DROP there would cut the host, not a node.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../cluster/runtime/local/index.js';
import { NemesisUnavailableError, parseNemesisOption } from '../../nemesis/index.js';
import { checkNemesisCapabilities } from '../../nemesis/capabilities.js';
import { ProbeDb } from '../nemesis/helpers/probe-db.js';

const hostFirewall = (): string =>
  execFileSync('iptables-save', { encoding: 'utf8' })
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, ''))
    .join('\n');

describe('faults the nodes cannot take', () => {
  it('refuses partitions and packet loss on nodes that share the host network, saying why and what to do', async () => {
    const logDir = await mkdtemp(path.join(tmpdir(), 'splitbrain-nemesis-refusals-'));
    const cluster = await new LocalRuntime({ isolation: 'loopback' }).start({
      runId: `nrf${Date.now().toString(36).slice(-6)}`,
      nodes: ['n1', 'n2', 'n3'],
      logDir,
    });
    try {
      const db = new ProbeDb();
      const refusal = checkNemesisCapabilities(cluster, db, parseNemesisOption('partition'));
      await expect(refusal).rejects.toThrow(NemesisUnavailableError);
      await expect(refusal).rejects.toThrow(/--nemesis partition cannot be injected here: .*namespace.*Run as root/);
      await expect(checkNemesisCapabilities(cluster, db, parseNemesisOption('packet'))).rejects.toThrow(
        NemesisUnavailableError,
      );

      const caps = await checkNemesisCapabilities(cluster, db, parseNemesisOption('all'));
      expect(caps.faults).toEqual(['kill', 'pause', 'clock']);
      expect(caps.skipped.map((s) => s.fault)).toEqual(['partition', 'packet', 'packet-delay']);
      for (const s of caps.skipped) expect(s.reason).toMatch(/namespace/);
      // Only our own chains are checked: other runs on this machine may change the host's rules meanwhile.
      expect(hostFirewall()).not.toMatch(/SPLITBRAIN-(PARTITION|PACKET|PROBE)/);
    } finally {
      await cluster.teardown();
      await rm(logDir, { recursive: true, force: true });
    }
  });
});
