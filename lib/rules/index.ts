import acaoMissing from './acao-missing';
import acaoWildcardWithCredentials from './acao-wildcard-with-credentials';
import contentTypeNotEventStream from './content-type-not-event-stream';
import type { Rule } from './define';

/** Every rule, in the order findings of equal severity are listed. Keep sorted by id. */
export const RULES: readonly Rule[] = [
  acaoMissing,
  acaoWildcardWithCredentials,
  contentTypeNotEventStream,
];
