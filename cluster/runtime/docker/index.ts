/** The Docker runtime, and a user's own image run as a node's process (node-container.ts). */
export { DockerRuntime } from './docker-runtime.js';
export type { DockerRuntimeOptions } from './docker-runtime.js';
export { describedImage, NodeContainerError, startNodeContainer, StartedNodeContainer } from './node-container.js';
export type { NodeContainerOptions } from './node-container.js';
export { faketimeProblem } from './image-faketime.js';
