export * from './enums.ts';
export * from './people.ts';
export * from './teams.ts';
export * from './plans.ts';
export * from './invitations.ts';
export * from './audit.ts';
export * from './collab.ts';
export * from './versions.ts';
