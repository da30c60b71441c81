import { Option, type Command } from 'commander';
import { age } from '../output/age.js';
import { renderTable } from '../output/table.js';
import { connect, withConnectionOptions, withNamespaceOption, type ConnectionOptions } from './connection.js';

type TokenOptions = ConnectionOptions & { namespace: string; allNamespaces?: boolean };

/** A token as the server lists it (never the secret itself). */
interface TokenInfo {
  id: string;
  namespace: string;
  role: string;
  description: string;
  createdAt: string;
}

const ALL_NAMESPACES_OPTION = ['-A, --all-namespaces', 'cluster-wide tokens (namespace *) instead of a namespace\'s; needs a cluster admin token'] as const;
const tokensPath = (options: TokenOptions) =>
  options.allNamespaces ? '/apis/junction.dev/v1/tokens' : `/apis/junction.dev/v1/namespaces/${encodeURIComponent(options.namespace)}/tokens`;
const scopeOf = (options: TokenOptions) => (options.allNamespaces ? 'every namespace' : options.namespace);

/** `junction token create|list|revoke`: manages a namespace's bearer tokens (needs an admin token). */
export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description('create, list and revoke the bearer tokens of a namespace')
    .addHelpText('after', '\nExamples:\n  export JUNCTION_TOKEN=$(junction token create -n shop --role ingest)\n  junction token list -n shop\n  junction token revoke -n shop 3f2c…');

  const create = token
    .command('create')
    .description('create a token; prints only the token (shown once) so $(junction token create …) works')
    .addOption(new Option('--role <role>', 'what the token may do').choices(['ingest', 'read', 'admin', 'metrics']).makeOptionMandatory())
    .option('--description <text>', 'what the token is for', '')
    .option(...ALL_NAMESPACES_OPTION);
  withNamespaceOption(create, 'namespace the token is valid for');
  withConnectionOptions(create)
    .addHelpText('after', '\nExamples:\n  junction token create -n shop --role ingest --description "checkout service"\n  junction token create -A --role metrics --description prometheus   # may only scrape /metrics')
    .action(async (options: TokenOptions & { role: string; description: string }) => {
      const created = await connect(options).call<TokenInfo & { token: string }>('POST', tokensPath(options), {
        body: { role: options.role, description: options.description },
      });
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(`token ${created.id} (${created.role} in ${scopeOf(options)}) created; it is shown only once\n`);
    });

  const list = token.command('list').description('list the tokens of a namespace (ids, roles and descriptions; never the secrets)').option(...ALL_NAMESPACES_OPTION);
  withNamespaceOption(list);
  withConnectionOptions(list)
    .addHelpText('after', '\nExample:\n  junction token list -n shop')
    .action(async (options: TokenOptions) => {
      const { items } = await connect(options).call<{ items: TokenInfo[] }>('GET', tokensPath(options));
      if (items.length === 0) return void process.stderr.write(options.allNamespaces ? 'No cluster-wide tokens found.\n' : `No tokens found in ${options.namespace} namespace.\n`);
      const rows = items.map((t) => [t.id, t.role, t.description, age(t.createdAt)]);
      process.stdout.write(`${renderTable(['ID', 'ROLE', 'DESCRIPTION', 'AGE'], rows)}\n`);
    });

  const revoke = token.command('revoke').description('revoke a token: requests carrying it are refused from now on').argument('<id>', 'token id (from token list)').option(...ALL_NAMESPACES_OPTION);
  withNamespaceOption(revoke);
  withConnectionOptions(revoke)
    .addHelpText('after', '\nExample:\n  junction token revoke -n shop 3f2c…')
    .action(async (id: string, options: TokenOptions) => {
      await connect(options).call('DELETE', `${tokensPath(options)}/${encodeURIComponent(id)}`);
      process.stdout.write(`token "${id}" revoked\n`);
    });
}
