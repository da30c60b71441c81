import { Option, type Command } from 'commander';
import { age } from '../output/age.js';
import { renderTable } from '../output/table.js';
import { connect, withConnectionOptions, withNamespaceOption, type ConnectionOptions } from './connection.js';

type TokenOptions = ConnectionOptions & { namespace: string };

/** A token as the server lists it (never the secret itself). */
interface TokenInfo {
  id: string;
  namespace: string;
  role: string;
  description: string;
  createdAt: string;
}

const tokensPath = (namespace: string) => `/apis/junction.dev/v1/namespaces/${encodeURIComponent(namespace)}/tokens`;

/** `junction token create|list|revoke`: manages a namespace's bearer tokens (needs an admin token). */
export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description('create, list and revoke the bearer tokens of a namespace')
    .addHelpText('after', '\nExamples:\n  export JUNCTION_TOKEN=$(junction token create -n shop --role ingest)\n  junction token list -n shop\n  junction token revoke -n shop 3f2c…');

  const create = token
    .command('create')
    .description('create a token; prints only the token (shown once) so $(junction token create …) works')
    .addOption(new Option('--role <role>', 'what the token may do').choices(['ingest', 'read', 'admin']).makeOptionMandatory())
    .option('--description <text>', 'what the token is for', '');
  withNamespaceOption(create, 'namespace the token is valid for');
  withConnectionOptions(create)
    .addHelpText('after', '\nExample:\n  junction token create -n shop --role ingest --description "checkout service"')
    .action(async (options: TokenOptions & { role: string; description: string }) => {
      const created = await connect(options).call<TokenInfo & { token: string }>('POST', tokensPath(options.namespace), {
        body: { role: options.role, description: options.description },
      });
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(`token ${created.id} (${created.role} in ${created.namespace}) created; it is shown only once\n`);
    });

  const list = token.command('list').description('list the tokens of a namespace (ids, roles and descriptions; never the secrets)');
  withNamespaceOption(list);
  withConnectionOptions(list)
    .addHelpText('after', '\nExample:\n  junction token list -n shop')
    .action(async (options: TokenOptions) => {
      const { items } = await connect(options).call<{ items: TokenInfo[] }>('GET', tokensPath(options.namespace));
      if (items.length === 0) return void process.stderr.write(`No tokens found in ${options.namespace} namespace.\n`);
      const rows = items.map((t) => [t.id, t.role, t.description, age(t.createdAt)]);
      process.stdout.write(`${renderTable(['ID', 'ROLE', 'DESCRIPTION', 'AGE'], rows)}\n`);
    });

  const revoke = token.command('revoke').description('revoke a token: requests carrying it are refused from now on').argument('<id>', 'token id (from token list)');
  withNamespaceOption(revoke);
  withConnectionOptions(revoke)
    .addHelpText('after', '\nExample:\n  junction token revoke -n shop 3f2c…')
    .action(async (id: string, options: TokenOptions) => {
      await connect(options).call('DELETE', `${tokensPath(options.namespace)}/${encodeURIComponent(id)}`);
      process.stdout.write(`token "${id}" revoked\n`);
    });
}
