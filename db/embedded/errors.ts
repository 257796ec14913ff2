/** Something about the embedded PostgreSQL server that an operator must fix; the message says what to do. */
export class EmbeddedPostgresError extends Error {
	override name = 'EmbeddedPostgresError';
}
