import { DialectRegistry } from './dialect-registry.js';
import { cesqlDialect } from './dialects/cesql.js';
import { allDialect, anyDialect, notDialect } from './dialects/logical.js';
import { exactDialect, prefixDialect, suffixDialect } from './dialects/single-attribute.js';

/** The dialects triggers can use: Knative's exact, prefix, suffix, all, any and not, and CloudEvents SQL (`cesql`). */
export const defaultDialects = new DialectRegistry();

defaultDialects.register('exact', exactDialect);
defaultDialects.register('prefix', prefixDialect);
defaultDialects.register('suffix', suffixDialect);
defaultDialects.register('all', allDialect);
defaultDialects.register('any', anyDialect);
defaultDialects.register('not', notDialect);
defaultDialects.register('cesql', cesqlDialect);
