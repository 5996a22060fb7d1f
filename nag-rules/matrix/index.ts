export * from './approval';
export * from './controls';
export * from './matrix-content';
export * from './owners';
export * from './threat-model';
