/** The nemesis against a real raftkv cluster of local namespaced nodes: kills keep data, leader isolation elects anew. */
import { LocalRuntime } from '../../cluster/runtime/local/index.js';
import { defineRaftkvNemesisSuite } from '../nemesis/helpers/raftkv-suite.js';

defineRaftkvNemesisSuite('local', async () => new LocalRuntime());
