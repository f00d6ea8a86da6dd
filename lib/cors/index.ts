export * from './vocabulary';
export * from './access-check';
export * from './preflight-check';
export * from './request-headers';
export * from './messages';
export * from './walk';
export * from './verdict';
export * from './facts';
