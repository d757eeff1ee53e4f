import { GenericContainer, Wait } from 'testcontainers';
import { describe, expect, it } from 'vitest';
import { describedImage, descriptionProblems } from '../../cluster/runtime/docker/node-container.js';

describe("a user's container description, before splitbrain starts it on its internal network", () => {
  it('takes image, command, env, copied files and a log, health-check or command wait as they are', () => {
    const c = new GenericContainer('mykv:1.4')
      .withCommand(['mykv', '--listen', '10.0.0.2:8000'])
      .withEnvironment({ PEERS: 'n1,n2,n3' })
      .withCopyFilesToContainer([{ source: '/etc/hostname', target: '/etc/mykv.toml' }])
      .withWaitStrategy(Wait.forAll([Wait.forLogMessage('ready'), Wait.forSuccessfulCommand('true')]));
    expect(descriptionProblems(c)).toEqual([]);
    expect(describedImage(c)).toBe('mykv:1.4');
  });

  it('refuses published ports, a network of its own, reuse and an HTTP wait, each with what to do instead', () => {
    const c = new GenericContainer('mykv:1.4')
      .withExposedPorts(8000)
      .withNetworkAliases('db')
      .withReuse()
      .withWaitStrategy(Wait.forAll([Wait.forLogMessage('ready'), Wait.forHttp('/health', 8000)]));
    const problems = descriptionProblems(c);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^withExposedPorts: .*clients reach the node at its address/);
    expect(problems[1]).toMatch(/^withNetwork\/withNetworkMode\/withNetworkAliases: /);
    expect(problems[2]).toMatch(/^withReuse: /);
    expect(problems[3]).toMatch(/^Wait\.forHttp: .*published port.*Wait\.forLogMessage/);
  });
});
