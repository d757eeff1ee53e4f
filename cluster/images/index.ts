/** The node image: its tag, whether it exists, and building it (offline with debootstrap, or from the Dockerfile). */
export { baseImageExists, baseImageTag, canDebootstrap, ensureBaseImage } from './base-image.js';
export { type BuildMethod, type BuildOptions } from './base-image.js';
