import acacInvalid from './acac-invalid';
import acaoInvalidValue from './acao-invalid-value';
import acaoMismatch from './acao-mismatch';
import acaoMissing from './acao-missing';
import acaoMissingOnErrorResponse from './acao-missing-on-error-response';
import acaoMissingOnRedirect from './acao-missing-on-redirect';
import acaoMultipleValues from './acao-multiple-values';
import acaoWildcardWithCredentials from './acao-wildcard-with-credentials';
import cacheControlNoCacheMissing from './cache-control-no-cache-missing';
import charsetNotUtf8 from './charset-not-utf8';
import connectionHeaderOnHttp2 from './connection-header-on-http2';
import connectionLimitPerHost from './connection-limit-per-host';
import contentEncodingOnStream from './content-encoding-on-stream';
import contentLengthOnStream from './content-length-on-stream';
import contentTypeNotEventStream from './content-type-not-event-stream';
import heartbeatMissing from './heartbeat-missing';
import localNetworkAccess from './local-network-access';
import mixedContentStream from './mixed-content-stream';
import nullOriginTrusted from './null-origin-trusted';
import originAnySubdomainTrusted from './origin-any-subdomain-trusted';
import originHttpDowngradeTrusted from './origin-http-downgrade-trusted';
import originPatternTooLoose from './origin-pattern-too-loose';
import originReflectedWithoutAllowlist from './origin-reflected-without-allowlist';
import preflightAuthorizationOnlyByWildcard from './preflight-authorization-only-by-wildcard';
import preflightHeaderNotAllowed from './preflight-header-not-allowed';
import preflightInvalidAllowList from './preflight-invalid-allow-list';
import preflightMethodNotAllowed from './preflight-method-not-allowed';
import preflightRedirect from './preflight-redirect';
import preflightStatusNotOk from './preflight-status-not-ok';
import preflightTriggeredByRequestHeaders from './preflight-triggered-by-request-headers';
import preflightWildcardWithCredentials from './preflight-wildcard-with-credentials';
import proxyBuffering from './proxy-buffering';
import reconnectLoop from './reconnect-loop';
import redirectNullOrigin from './redirect-null-origin';
import retryTooShort from './retry-too-short';
import statusNot200 from './status-not-200';
import tokenInQueryString from './token-in-query-string';
import varyOriginMissing from './vary-origin-missing';
import type { Rule } from './define';

/** Every rule, in the order findings of equal severity are listed. Keep sorted by id. */
export const RULES: readonly Rule[] = [
  acacInvalid,
  acaoInvalidValue,
  acaoMismatch,
  acaoMissing,
  acaoMissingOnErrorResponse,
  acaoMissingOnRedirect,
  acaoMultipleValues,
  acaoWildcardWithCredentials,
  cacheControlNoCacheMissing,
  charsetNotUtf8,
  connectionHeaderOnHttp2,
  connectionLimitPerHost,
  contentEncodingOnStream,
  contentLengthOnStream,
  contentTypeNotEventStream,
  heartbeatMissing,
  localNetworkAccess,
  mixedContentStream,
  nullOriginTrusted,
  originAnySubdomainTrusted,
  originHttpDowngradeTrusted,
  originPatternTooLoose,
  originReflectedWithoutAllowlist,
  preflightAuthorizationOnlyByWildcard,
  preflightHeaderNotAllowed,
  preflightInvalidAllowList,
  preflightMethodNotAllowed,
  preflightRedirect,
  preflightStatusNotOk,
  preflightTriggeredByRequestHeaders,
  preflightWildcardWithCredentials,
  proxyBuffering,
  reconnectLoop,
  redirectNullOrigin,
  retryTooShort,
  statusNot200,
  tokenInQueryString,
  varyOriginMissing,
];
