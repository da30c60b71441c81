/** Secret values for sources: the one reader lives with the resources (serving reads them too). */
export { readSecretValue, type SecretKeyRef } from '../../core/resources/index.js';
