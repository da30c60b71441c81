import type { OutputFormat } from '../output/format.js';

/** Which resources `get` lists (and `get -w` watches), and how it prints them. */
export interface ListOptions {
  namespace: string;
  output: OutputFormat;
  selector?: string;
  allNamespaces?: boolean;
}
