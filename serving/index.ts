/** The serving module's public API (so far: the autoscaler's math). */
export * from './autoscaler/index.js';
