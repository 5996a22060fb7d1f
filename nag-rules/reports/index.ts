export * from './matrix-report';
export * from './markdown';
export * from './sarif';
export * from './rules-md';
export * from './write';
export * from './backlog';
export * from './product-views';
