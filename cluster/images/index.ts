/** The node image: its tag, whether it exists, and building it (offline with debootstrap, or from the Dockerfile). */
export {
  BASE_PACKAGES,
  BASE_REPO,
  BASE_SUITE,
  baseImageExists,
  baseImageTag,
  canDebootstrap,
  debianMirror,
  ensureBaseImage,
} from './base-image.js';
export type { BuildMethod, BuildOptions, BuildResult } from './base-image.js';
