import { describeNs } from '../../checker/index.js';

/**
 * Formats a history time (ns since the test began) in the unit a person reads best: the
 * checker's own format, so the report's axes and its explanation agree.
 */
export const describeTime: (ns: number) => string = describeNs;
