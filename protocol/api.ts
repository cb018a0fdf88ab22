/** Broker HTTP API shapes shared by the player page, tests and the broker (placement: fleet.ts). */

export type CatalogTitle = { id: string; name: string; kind: 'game'; description: string };
